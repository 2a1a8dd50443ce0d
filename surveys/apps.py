from django.apps import AppConfig

from common import page_cache


class SurveysConfig(AppConfig):
    name = "surveys"

    def ready(self) -> None:
        from surveys.models import Choice, Question, Section, Survey

        # The questionnaire shows on consultation pages; responses change no public page (their
        # figures are frozen into outcomes, which are consultations' rows).
        page_cache.forget_on_change(Survey, Section, Question, Choice)
