from django.urls import URLPattern, path

from peerpath.buddying import batch_views, views

app_name = "buddying"


def _match_routes(prefix: str, side: str, suffix: str) -> list[URLPattern]:
    """The match page and its forms, for her (``peer-supporter/``) and for staff."""
    kwargs = {"side": side}
    return [
        path(prefix, getattr(views, f"match_page_{side}"), kwargs, name=f"match{suffix}"),
        path(
            f"{prefix}agreement/",
            getattr(views, f"agreement_{side}"),
            kwargs,
            name=f"agreement{suffix}",
        ),
        path(
            f"{prefix}goals/", getattr(views, f"goal_add_{side}"), kwargs, name=f"goal_add{suffix}"
        ),
        path(
            f"{prefix}goals/<uuid:goal_id>/done/",
            getattr(views, f"goal_done_{side}"),
            kwargs,
            name=f"goal_done{suffix}",
        ),
        path(
            f"{prefix}goals/<uuid:goal_id>/steps/",
            getattr(views, f"step_add_{side}"),
            kwargs,
            name=f"step_add{suffix}",
        ),
        path(
            f"{prefix}steps/<uuid:step_id>/done/",
            getattr(views, f"step_done_{side}"),
            kwargs,
            name=f"step_done{suffix}",
        ),
    ]


urlpatterns = [
    path("peer-supporter/", views.mine, name="mine"),
    path("peer-supporter/ask/", views.ask, name="ask"),
    path("peer-supporter/withdraw/", views.withdraw, name="withdraw"),
    path("peer-supporter/<uuid:public_id>/someone-else/", views.someone_else, name="someone_else"),
    *_match_routes("peer-supporter/<uuid:public_id>/", "member", ""),
    path(
        "peer-supporter/<uuid:public_id>/steps/<uuid:step_id>/remind/",
        views.step_remind_member,
        {"side": "member"},
        name="step_remind",
    ),
    *_match_routes("staff/matches/<uuid:public_id>/", "staff", "_staff"),
    path("staff/matches/<uuid:public_id>/contact/", views.contact_log_view, name="contact_log"),
    path("staff/matches/<uuid:public_id>/pause/", views.pause, name="pause"),
    path("staff/matches/<uuid:public_id>/review/", views.review, name="review"),
    path("staff/matches/<uuid:public_id>/end/", views.end, name="end"),
    path("peer-supporter/<uuid:public_id>/goodbye/", views.goodbye, name="goodbye"),
    path(
        "staff/<slug:slug>/one-to-one/would-like-to-support/<uuid:public_id>/",
        views.interest_take,
        name="interest_take",
    ),
    path("staff/one-to-one/", views.queue_home, name="queue_home"),
    path("staff/<slug:slug>/one-to-one/", views.queue_page, name="queue"),
    path("staff/<slug:slug>/one-to-one/matches/", views.matches_overview, name="matches"),
    path(
        "staff/<slug:slug>/one-to-one/<uuid:public_id>/",
        views.request_detail,
        name="request_detail",
    ),
    path("staff/<slug:slug>/one-to-one/<uuid:public_id>/propose/", views.propose, name="propose"),
    path("staff/<slug:slug>/one-to-one/propose-all/", batch_views.propose_all, name="propose_all"),
    path("staff/one-to-one/proposals/<uuid:public_id>/", views.proposal, name="proposal"),
]
