from django.urls import path

from msap.registers import views

urlpatterns = [
    path("maison/<int:house_pk>/", views.registers_home, name="registers_home"),
    path("maison/<int:house_pk>/<slug:kind>/", views.register_list, name="register_list"),
    path("maison/<int:house_pk>/<slug:kind>/nouveau/", views.item_new, name="item_new"),
    path("elements/<int:register_item_pk>/", views.item_detail, name="item_detail"),
    path(
        "elements/<int:register_item_pk>/actions/<slug:action>/",
        views.item_action,
        name="item_action",
    ),
    path(
        "elements/<int:register_item_pk>/pieces/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "elements/<int:register_item_pk>/accuse-reception.pdf", views.ack_letter, name="ack_letter"
    ),
    path("elements/<int:register_item_pk>/reponse.pdf", views.answer_letter, name="answer_letter"),
]
