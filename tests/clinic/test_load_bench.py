"""The load benchmark's yardstick (bench/web.py): a bare login_required view behind the app's
own middleware, and the timing headers it reads."""

import pytest

from bench.load import PAGES
from clinic.accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_server(settings):
    settings.ROOT_URLCONF = "bench.web"
    settings.MIDDLEWARE = ["bench.web.Timing", *settings.MIDDLEWARE]


def test_the_bare_view_answers_ok_to_a_signed_in_user_with_its_time_in_django_and_sql(
    bench_server, client_as
):
    response = client_as(Role.FRONT_DESK).get("/bench/ok/")
    assert response.status_code == 200 and response.content == b"ok"
    assert float(response["X-Bench-Django-Ms"]) >= float(response["X-Bench-Sql-Ms"]) > 0
    assert int(response["X-Bench-Queries"]) >= 1  # the session and its user


def test_the_bare_view_sends_an_anonymous_visitor_to_sign_in(bench_server, client_as):
    response = client_as(None).get("/bench/ok/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_app_pages_answer_behind_the_benchmark_urls(bench_server, client_as):
    assert client_as(Role.FRONT_DESK).get("/booking/day/").status_code == 200


def test_each_benchmark_page_has_its_own_key_and_a_role_the_benchmark_signs_in():
    keys = [page.key for page in PAGES]
    assert len(keys) == len(set(keys)) and keys[0] == "bare"
    assert {page.role for page in PAGES} <= {"desk", "therapist", "admin"}
