import pytest

from diagnostics.enums import ChoiceKind
from diagnostics.models import Response
from diagnostics.services import current_questionnaire
from diagnostics.steps import questionnaire_structure


class Taker:
    """Takes the diagnostic through the pages, like a person: `points(question)` says
    which answer to give (0-3, "nsp" for Je ne sais pas, "nc" for Non concerné)."""

    def __init__(self, client):
        self.client = client
        self.questionnaire = current_questionnaire()
        self.axes = questionnaire_structure(self.questionnaire)
        self.token = None

    def start(self):
        response = self.client.post("/diagnostic/")
        assert response.status_code == 303, response
        self.token = response["Location"].split("/")[2]
        return response

    @property
    def response(self) -> Response:
        return Response.objects.get(token=self.token)

    def url(self, step):
        return f"/diagnostic/{self.token}/etape/{step}/"

    def profile(self, query="Charenton-le-Pont", role="elu", consent="oui", **extra):
        data = {"role": role, "commune_query": query, "consent": consent, "action": "suivant"}
        return self.client.post(self.url(1), data | extra)

    @staticmethod
    def choice_for(question, answer):
        for choice in question.choices.all():
            if answer == "nsp" and choice.kind == ChoiceKind.DONT_KNOW:
                return choice.pk
            if answer == "nc" and choice.kind == ChoiceKind.NOT_CONCERNED:
                return choice.pk
            if choice.kind == ChoiceKind.GRADED and choice.points == answer:
                return choice.pk
        raise LookupError(answer)

    def axis_data(self, index, points, action="suivant"):
        axis = self.axes[index]
        data = {"version": self.questionnaire.version, "action": action}
        for question in axis.questions.all():
            answer = points(question)
            if answer is not None:
                data[f"q{question.pk}"] = self.choice_for(question, answer)
        return data

    def answer_axis(self, index, points, action="suivant"):
        return self.client.post(self.url(index + 2), self.axis_data(index, points, action))

    def complete(self, points=lambda question: 2, **profile):
        self.start()
        assert self.profile(**profile).status_code == 303
        for index in range(len(self.axes)):
            response = self.answer_axis(index, points)
            assert response.status_code in (302, 303), response.content.decode()[:3000]
        return response


@pytest.fixture
def taker(client, db):
    return Taker(client)
