from django.urls import path

from peerpath.buddying import views

app_name = "buddying"

urlpatterns = [
    path("peer-supporter/", views.mine, name="mine"),
    path("peer-supporter/ask/", views.ask, name="ask"),
    path("peer-supporter/withdraw/", views.withdraw, name="withdraw"),
    path("peer-supporter/<uuid:public_id>/someone-else/", views.someone_else, name="someone_else"),
    path("staff/one-to-one/", views.queue_home, name="queue_home"),
    path("staff/<slug:slug>/one-to-one/", views.queue_page, name="queue"),
    path(
        "staff/<slug:slug>/one-to-one/<uuid:public_id>/",
        views.request_detail,
        name="request_detail",
    ),
    path("staff/<slug:slug>/one-to-one/<uuid:public_id>/propose/", views.propose, name="propose"),
    path("staff/one-to-one/proposals/<uuid:public_id>/", views.proposal, name="proposal"),
]
