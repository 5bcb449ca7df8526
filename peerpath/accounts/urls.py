from django.urls import path

from peerpath.accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/", views.account_home, name="account_home"),
    path("account/details/", views.account_profile, name="account_profile"),
    path("account/consent/", views.account_consent, name="account_consent"),
    path("account/data/", views.account_data, name="account_data"),
    path("account/data/my-peerpath-data.json", views.account_data_json, name="account_data_json"),
    path("account/data/everything/", views.account_data_page, name="account_data_page"),
    path("account/delete/", views.account_delete, name="account_delete"),
    path("account/supporter/", views.account_supporter_profile, name="account_supporter_profile"),
    path("your-information/", views.your_information, name="your_information"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/members/<uuid:public_id>/", views.staff_member_detail, name="staff_member_detail"),
    path("staff/<slug:slug>/members/", views.staff_members, name="staff_members"),
    path("staff/<slug:slug>/members/new/", views.staff_member_create, name="staff_member_create"),
    path("staff/<slug:slug>/invitations/", views.staff_invitations, name="staff_invitations"),
    path("invitations/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
]
