# Chatrun's R runner, on the R side: evaluated once per R session by r-worker.js; its value is the
# function that runs one block. It is bound nowhere the code it runs can see.
#
# A block runs as at R's console, top-level expression by top-level expression in the global
# environment: visible values are auto-printed (print, or show for S4), a data.frame is sent as a
# table. What the code prints goes to R's stdout and stderr as written (message() to stderr);
# warnings, errors and the rest are records written to /dev/chatrun (r-session.js sends them to
# the panel in order with the streams): "<kind> <bytes>\n<payload>", kind one of warn, error,
# table (JSON), figure (PNG bytes). Plots go to a PNG device per plot; every page is sent as a
# figure when the block is over.
local({
  records <- file("/dev/chatrun", open = "wb")
  plot_dir <- file.path(tempdir(), "chatrun-plots")
  dir.create(plot_dir, showWarnings = FALSE)
  devices <- 0L
  TOP_CALL <- quote(eval(expr, globalenv()))
  TABLE_MAX_ROWS <- 1000L
  LONG <- 75L # R's width for putting a long message on a line of its own

  record <- function(kind, payload) {
    flush(stdout()) # what the code printed before this goes first
    if (is.character(payload)) payload <- charToRaw(enc2utf8(paste(payload, collapse = "")))
    writeBin(c(charToRaw(sprintf("%s %d\n", kind, length(payload))), payload), records)
    flush(records)
  }

  # ---------------------------------------------------------------------- conditions, as R prints them

  deparsed_call <- function(condition) {
    call <- conditionCall(condition)
    if (is.null(call) || identical(call, TOP_CALL)) return(NULL) # raised by the block itself
    paste(deparse(call, nlines = 1L), collapse = "")
  }

  too_long <- function(extra, call, message) {
    first <- strsplit(message, "\n", fixed = TRUE)[[1L]][1L]
    width <- nchar(call, type = "w") + nchar(if (is.na(first)) "" else first, type = "w")
    is.na(width) || extra + width > LONG
  }

  error_text <- function(e) {
    message <- conditionMessage(e)
    call <- deparsed_call(e)
    text <- if (is.null(call)) paste0("Error: ", message, "\n")
            else paste0("Error in ", call, " : ", if (too_long(14L, call, message)) "\n  ", message, "\n")
    if (inherits(e, "packageNotFoundError")) {
      text <- paste0(text, sprintf("Package '%s' is not available here: R in Chatrun runs offline with ", e$package),
                     "base R's packages only (", paste(rownames(installed.packages()), collapse = ", "), ").\n")
    }
    text
  }

  warning_text <- function(w) {
    message <- conditionMessage(w)
    call <- deparsed_call(w)
    if (is.null(call)) return(paste0("Warning: ", message, "\n"))
    paste0("Warning in ", call, " :", if (too_long(18L, call, message)) "\n " else "", " ", message, "\n")
  }

  # ---------------------------------------------------------------------- tables

  json_string <- function(x) {
    x <- enc2utf8(as.character(x))
    for (swap in list(c("\\", "\\\\"), c("\"", "\\\""), c("\n", "\\n"), c("\r", "\\r"), c("\t", "\\t"))) {
      x <- gsub(swap[1L], swap[2L], x, fixed = TRUE)
    }
    paste0("\"", gsub("[\001-\037\177]", " ", x), "\"")
  }

  # Cells as JSON scalars: numbers as numbers (15 significant digits), logicals as booleans; NA,
  # NaN and infinities as R writes them; anything else as R formats it.
  json_cells <- function(column) {
    if (is.factor(column)) column <- as.character(column)
    missing <- is.na(column)
    if (is.logical(column)) {
      cells <- ifelse(column, "true", "false")
    } else if (is.numeric(column) && !is.object(column)) {
      cells <- ifelse(is.finite(column), as.character(column), json_string(format(column)))
    } else if (is.character(column)) {
      cells <- json_string(column)
    } else {
      cells <- json_string(format(column))
    }
    cells[missing & !is.nan(column)] <- "\"NA\""
    cells
  }

  table_json <- function(df) {
    shape <- dim(df)
    shown <- df[seq_len(min(shape[1L], TABLE_MAX_ROWS)), , drop = FALSE]
    cells <- vapply(seq_along(shown), function(j) json_cells(shown[[j]]), character(nrow(shown)))
    cells <- matrix(cells, nrow = nrow(shown))
    rows <- if (nrow(shown)) apply(cells, 1L, function(row) paste0("[", paste(row, collapse = ","), "]")) else character()
    parts <- c(
      sprintf("\"columns\":[%s]", paste(json_string(names(df)), collapse = ",")),
      sprintf("\"rows\":[%s]", paste(rows, collapse = ",")),
      if (.row_names_info(df) > 0L) sprintf("\"index\":[%s]", paste(json_string(row.names(shown)), collapse = ",")),
      sprintf("\"truncated\":%s", if (nrow(shown) < shape[1L]) "true" else "false"),
      sprintf("\"shape\":[%d,%d]", shape[1L], shape[2L])
    )
    paste0("{", paste(parts, collapse = ","), "}")
  }

  # A plain data.frame is a table; its subclasses (anova, ...) print as they do at R's console.
  show_value <- function(value) {
    if (identical(class(value), "data.frame")) record("table", table_json(value))
    else if (isS4(value)) methods::show(value)
    else print(value)
  }

  # ---------------------------------------------------------------------- plots

  # Every device a block opens draws into PNG files (one a page), sent when the block is over.
  options(device = function(...) {
    devices <<- devices + 1L
    grDevices::png(file.path(plot_dir, sprintf("%05d-%%03d.png", devices)),
                   width = 7, height = 5, units = "in", res = 100, type = "cairo")
  })

  send_figures <- function() {
    grDevices::graphics.off()
    for (file in sort(list.files(plot_dir, full.names = TRUE))) {
      record("figure", readBin(file, "raw", file.size(file)))
      unlink(file)
    }
  }

  # A block cannot be answered (as under Rscript, readline() gives "" instead of waiting).
  unlockBinding("readline", baseenv())
  assign("readline", function(prompt = "") {
    cat(prompt)
    ""
  }, envir = baseenv())
  lockBinding("readline", baseenv())

  # ---------------------------------------------------------------------- one block

  parse_error <- function(e, line_offset) {
    message <- sub("^<text>:", "", conditionMessage(e))
    where <- regmatches(message, regexec("^([0-9]+):([0-9]+): ", message))[[1L]]
    if (length(where)) {
      message <- sub(where[1L], "", message, fixed = TRUE)
      message <- sprintf("%s (line %d, column %s)", message, as.integer(where[2L]) + line_offset, where[3L])
    }
    record("error", paste0("Error: ", message, "\n"))
  }

  function(code, line_offset = 0L) {
    status <- "success"
    exprs <- tryCatch(parse(text = code, keep.source = FALSE), error = function(e) {
      parse_error(e, line_offset)
      NULL
    })
    if (is.null(exprs)) status <- "error"
    for (expr in exprs) {
      status <- withCallingHandlers(
        tryCatch({
          shown <- withVisible(eval(expr, globalenv()))
          if (shown$visible) show_value(shown$value)
          "success"
        }, error = function(e) {
          record("error", error_text(e))
          "error"
        }, interrupt = function(i) "stopped"),
        warning = function(w) {
          level <- getOption("warn", 0L)
          if (level >= 2L) return() # an error now, as R makes it
          if (level >= 0L) record("warn", warning_text(w))
          invokeRestart("muffleWarning")
        },
        message = function(m) {
          cat(conditionMessage(m), file = stderr())
          invokeRestart("muffleMessage")
        }
      )
      if (status != "success") break
    }
    tryCatch(send_figures(), error = function(e) record("error", error_text(e)), interrupt = function(i) NULL)
    flush(stdout())
    status
  }
})
