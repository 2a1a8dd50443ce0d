from django.urls import path

from news import feeds, views

app_name = "news"

urlpatterns = [
    path("news/", views.news_list, name="list"),
    path("news/feed/", feeds.NewsFeed(), name="feed"),
    path("news/<slug:slug>/", views.news_item, name="item"),
    path("news/<slug:slug>/images/<str:filename>", views.news_image, name="image"),
    path("events/", views.upcoming_events, name="events"),
    path("events/<slug:slug>.ics", views.event_calendar, name="event-calendar"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("<slug:partnership_slug>/news/", views.partnership_news, name="partnership-news"),
    path("<slug:partnership_slug>/news/feed/", feeds.PartnershipNewsFeed(), name="partnership-feed"),
    path("<slug:partnership_slug>/events/", views.partnership_events, name="partnership-events"),
]
