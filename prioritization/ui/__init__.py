"""Streamlit user interface: the only package that imports streamlit.

``pages/`` holds the thin ``st.Page`` scripts (one per address, each calls a ``render()``);
``shell/`` the app around them (navigation, state, sign-in, OIDC); ``widgets/`` the pieces several
features share; and one folder per feature (``results/``, ``workshop/``, ``setup/``, ``process/``)
holds its pages' bodies, their Streamlit-free logic and their charts. A feature imports shell,
widgets and :mod:`prioritization.report`, never another feature (tests/test_layers.py).
"""
