"""The press-analysis dashboard: page config, navigation, shared sidebar, session state.

Run with ``streamlit run dashboard.py`` (opens the seed corpus, built on the
first run), ``streamlit run dashboard.py -- --store DIR`` or with the
``PRESS_STORE`` environment variable set to a store folder.
"""

import streamlit as st

from ui import glue

st.set_page_config(page_title="Press analysis", page_icon=":material/newspaper:", layout="wide")
glue.init_session_state()
glue.start_run()

pages = [
    st.Page(glue.PAGES["overview"], title="Overview", icon=":material/dashboard:", default=True, url_path="overview"),
    st.Page(glue.PAGES["entities"], title="Entities", icon=":material/groups:", url_path="entities"),
    st.Page(glue.PAGES["topics"], title="Topics", icon=":material/hub:", url_path="topics"),
    st.Page(glue.PAGES["reading"], title="Reading pane", icon=":material/article:", url_path="reading"),
    st.Page(glue.PAGES["search"], title="Search", icon=":material/search:", url_path="search"),
    st.Page(glue.PAGES["sanctions"], title="Sanctions", icon=":material/gavel:", url_path="sanctions"),
    st.Page(glue.PAGES["quotes"], title="Quotes", icon=":material/format_quote:", url_path="quotes"),
    st.Page(glue.PAGES["watchlist"], title="Watchlist", icon=":material/policy:", url_path="watchlist"),
]
page = st.navigation(pages)

base = glue.ensure_base_store()
if base is None:
    st.stop()
store = glue.current_store(base)
glue.set_context(glue.sidebar_filters(store))
page.run()
glue.write_url()
