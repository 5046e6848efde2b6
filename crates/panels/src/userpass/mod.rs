//! Client for this panel kind (see the module's issue).
