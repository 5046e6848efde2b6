//! 3x-ui client: filled in by the 3x-ui issue.
