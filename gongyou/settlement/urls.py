app_name = "settlement"
urlpatterns: list = []
