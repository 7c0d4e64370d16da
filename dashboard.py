"""The press-analysis dashboard: page config, navigation, shared sidebar, session state.

Run with ``streamlit run dashboard.py`` (opens the seed corpus, built on the
first run), ``streamlit run dashboard.py -- --store DIR`` or with the
``PRESS_STORE`` environment variable set to a store folder.
"""

import streamlit as st

from ui import filters, stores, url, widgets

st.set_page_config(page_title="Press analysis", page_icon=":material/newspaper:", layout="wide")
stores.init_session_state()
url.start_run()

pages = [
    st.Page(widgets.PAGES["overview"], title="Overview", icon=":material/dashboard:", default=True, url_path="overview"),
    st.Page(widgets.PAGES["entities"], title="Entities", icon=":material/groups:", url_path="entities"),
    st.Page(widgets.PAGES["topics"], title="Topics", icon=":material/hub:", url_path="topics"),
    st.Page(widgets.PAGES["reading"], title="Reading pane", icon=":material/article:", url_path="reading"),
    st.Page(widgets.PAGES["search"], title="Search", icon=":material/search:", url_path="search"),
    st.Page(widgets.PAGES["sanctions"], title="Sanctions", icon=":material/gavel:", url_path="sanctions"),
    st.Page(widgets.PAGES["quotes"], title="Quotes", icon=":material/format_quote:", url_path="quotes"),
    st.Page(widgets.PAGES["watchlist"], title="Watchlist", icon=":material/policy:", url_path="watchlist"),
]
page = st.navigation(pages)

base = stores.ensure_base_store()
if base is None:
    st.stop()
store = stores.current_store(base)
filters.set_context(filters.sidebar_filters(store))
page.run()
url.write_url()
