"""Pure numeric kernels implementing ``spec/METHODS.md``.

No I/O, no Streamlit, no pandas: arrays in, arrays (or small dataclasses) out. Every module cites
the spec section it implements, e.g. ``[S0.2]``.
"""
