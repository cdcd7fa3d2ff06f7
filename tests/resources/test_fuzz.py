"""Any query string gets a normal page or a clear 4xx, never a 500."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PARAMS = ["q", "type", "theme", "public", "usage", "niveau", "region", "forme", "mode",
          "annee", "tag", "tri", "page", "taille", "impact", "autre"]  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "mooc",
            "guide",
            "53",
            "2018",
            "collectivites",
            "evaluer",
            "titre",
            "0",
            "-1",
            "9" * 30,
            '"',
            "' OR 1=1 --",
            "<script>",
            "%",
            "\\",
            "*",
        ]
    ),  # fmt: skip
)
QUERY = st.lists(st.tuples(st.sampled_from(PARAMS), VALUES), max_size=6)
ENDPOINTS = ["/ressources/", "/ressources/flux/", "/api/ressources/", "/cas-pratiques/"]

fuzz_settings = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@fuzz_settings
@given(query=QUERY, endpoint=st.sampled_from(ENDPOINTS))
def test_query_strings_never_cause_a_server_error(client, library, query, endpoint):
    response = client.get(endpoint, query)

    assert response.status_code in {200, 400, 404}, (endpoint, query)
