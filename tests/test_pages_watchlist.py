"""The Watchlist page and the watchlist marks on the other pages, driven through AppTest on real seed stores."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from core import watchlist
from core.store import Store

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
LIST = (
    "name,aliases,id,list,country,type\n"
    "Vladimir Vladimirovich PUTIN,Wladimir Putin,W-1,Test programme,ru,person\n"
    "KIM Jong Il,,W-2,Test programme,kp,person\n"
    "Marina PESKOVA,,W-3,Test programme,ru,person\n"
)


def _page(store: Store, monkeypatch, query: dict | None = None) -> AppTest:
    monkeypatch.setenv("PRESS_STORE", str(store.path))
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("app_pages/watchlist.py")
    if query:
        at.query_params.update(query)
    return at.run()


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def test_upload_goes_to_a_private_copy_and_lists_the_matches(seed_store_copy, monkeypatch):
    at = _page(seed_store_copy, monkeypatch)
    assert any("No watchlist yet" in i.value for i in at.info)
    at.file_uploader[0].set_value(("screening.csv", LIST.encode("utf-8"), "text/csv")).run()
    at.button(key="watchlist.add").click().run()
    _no_exception(at)
    assert any("watchlist 'screening' (CSV): 3 entries" in s.value.replace("\\", "") for s in at.success)
    assert at.session_state["store.private"] is True
    assert seed_store_copy.read("watchlist").empty  # the shared store did not get it
    review = at.data_editor[0].value
    assert set(review["entity"]) == {"Vladimir Poutine", "Kim Jong Il"}  # not Dmitri Peskov
    assert set(review["status"]) == {"To review"}
    assert watchlist.MARKS_LEGEND in [c.value for c in at.sidebar.caption]
    assert len(at.file_uploader) == 1 and not at.file_uploader[0].value  # the file is not resubmitted by the next add


def test_a_shared_list_reaches_the_shared_store_even_from_a_private_copy(seed_store_copy, monkeypatch):
    at = _page(seed_store_copy, monkeypatch)
    at.file_uploader[0].set_value(("mine.csv", LIST.encode("utf-8"), "text/csv")).run()
    at.button(key="watchlist.add").click().run()  # a private copy now exists
    assert at.session_state["store.private"] is True and seed_store_copy.read("watchlist").empty
    at.file_uploader[0].set_value(("team.csv", LIST.encode("utf-8"), "text/csv")).run()
    at.checkbox(key="watchlist.shared").check().run()
    at.button(key="watchlist.add").click().run()
    _no_exception(at)
    assert set(seed_store_copy.read("watchlist")["list"]) == {"team"}  # everyone's store: the shared list only
    private = Store(at.session_state["store.path"])
    assert set(private.read("watchlist")["list"]) == {"mine", "team"}  # and this session sees both


def test_an_unusable_list_says_why(seed_store_copy, monkeypatch):
    at = _page(seed_store_copy, monkeypatch)
    at.file_uploader[0].set_value(("cities.csv", b"city,population\nParis,2\n", "text/csv")).run()
    at.button(key="watchlist.add").click().run()
    _no_exception(at)
    assert any("cities.csv cannot be used as a watchlist: no name column" in e.value.replace("\\", "") for e in at.error)


def test_a_decision_persists_and_marks_the_entity_on_other_pages(seed_store_copy, monkeypatch):
    watchlist.add_list(seed_store_copy, LIST.encode(), "screening")
    at = _page(seed_store_copy, monkeypatch, {"watchlist.party": "Kim Jong Il"})
    _no_exception(at)
    assert at.selectbox(key="watchlist.party").value == "Kim Jong Il"
    at.button(key="watchlist.decide.0.confirmed").click().run()
    _no_exception(at)
    status = seed_store_copy.read_derived("watchlist_matches").set_index("entity")["status"]
    assert status["Kim Jong Il"] == watchlist.CONFIRMED and status["Vladimir Poutine"] == watchlist.PENDING

    at.switch_page("app_pages/entities.py").run()
    _no_exception(at)
    table = next(d.value for d in at.dataframe if "watchlist" in d.value.columns).set_index("name")["watchlist"]
    assert table["Kim Jong Il"] == "⚑ confirmed: KIM Jong Il (list screening, W-2)"
    assert table["Vladimir Poutine"].startswith("⚐ to review: Vladimir Vladimirovich PUTIN")
    assert table["Dmitri Peskov"] == ""

    at.switch_page("app_pages/watchlist.py").run()
    at.selectbox(key="watchlist.party").set_value("Vladimir Poutine").run()
    assert at.query_params["watchlist.party"] == "Vladimir Poutine"  # a copied link opens this party
    at.button(key="watchlist.decide.0.rejected").click().run()
    _no_exception(at)
    assert "Vladimir Poutine" not in set(at.data_editor[0].value["entity"])  # rejected matches are hidden by default
    at.switch_page("app_pages/sanctions.py").run()
    _no_exception(at)
    actors = next(d.value for d in at.dataframe if "actor" in d.value.columns)
    assert "watchlist" in actors.columns and "Vladimir Poutine" not in set(actors.loc[actors["watchlist"] != "", "actor"])


def test_the_party_view_lists_its_articles_and_sanctions_sentences(seed_store_copy, monkeypatch):
    watchlist.add_list(seed_store_copy, LIST.encode(), "screening")
    at = _page(seed_store_copy, monkeypatch, {"watchlist.party": "Vladimir Poutine"})
    _no_exception(at)
    markdown = [m.value for m in at.markdown]
    assert "**43 mentions** in **5 articles** of those shown." in markdown
    assert any(m.startswith("**") and "sanctions sentence" in m and "Vladimir Poutine" in m for m in markdown)
    assert any(e.label.startswith("Where: 5 articles") for e in at.expander)
