"""Privacy under Oman's PDPL: access log, need-to-know, export, erasure, retention, logs."""
