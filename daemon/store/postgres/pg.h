// A thin RAII layer over libpq: one connection, statements with text
// parameters, answers as rows of text. Errors come back as Status (kUnavailable
// when the server cannot be reached or the connection broke, so callers can
// answer 503 and retry; kInternal for a statement the server refused), with
// the server's words. Not thread-safe: one thread uses a connection at a time.
#ifndef PASTEBIN_DAEMON_STORE_POSTGRES_PG_H_
#define PASTEBIN_DAEMON_STORE_POSTGRES_PG_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"

struct pg_conn;
struct pg_result;

namespace pastebin {

// One row of an answer; nullopt for SQL NULL. bytea columns come as
// PostgreSQL writes them ("\\x" and hex): see PgBytes.
using PgRow = std::vector<std::optional<std::string>>;

// A statement parameter: text (numbers too), or bytes for a bytea.
struct PgParam {
  PgParam(std::nullopt_t) {}  // SQL NULL
  PgParam(std::string text) : value(std::move(text)) {}
  PgParam(const char* text) : value(std::string(text)) {}
  PgParam(std::optional<std::string> text) : value(std::move(text)) {}
  static PgParam Bytes(std::string bytes) {
    PgParam p(std::move(bytes));
    p.binary = true;
    return p;
  }
  std::optional<std::string> value;
  bool binary = false;
};

// The bytes of a bytea column as a text answer holds it ("\\x0a1b..."),
// or nullopt if it is not in that form.
std::optional<std::string> PgBytes(const std::string& text);

// A text[] parameter's text: each element quoted ("{\"a\",\"b\"}"), so any
// text, commas and quotes too, is one element.
std::string PgTextArray(const std::vector<std::string>& elements);

// The longest pasted waits on PostgreSQL by default (postgres_timeout).
constexpr int kPgTimeoutSeconds = 3;

class PgConn {
 public:
  // Connects with a libpq connection string or URI (multi-host allowed).
  // The password, if the string holds one, never appears in errors.
  //
  // No wait is longer than about timeout_s seconds, whatever the network
  // does: connecting (connect_timeout), data the server does not
  // acknowledge (tcp_user_timeout), an answer that never comes (TCP
  // keepalives), a statement the server runs (statement_timeout), and any
  // answer at all (a connection whose statement is unanswered after
  // timeout_s is dropped: a COMMIT waiting for a synchronous standby that
  // is gone, which statement_timeout does not bound). What conninfo says
  // itself wins. A COMMIT whose wait for a synchronous
  // standby was cancelled (committed on the primary alone) is an error
  // (kUnavailable), never an acknowledgement.
  static Result<std::unique_ptr<PgConn>> Open(const std::string& conninfo,
                                              int timeout_s = kPgTimeoutSeconds);
  ~PgConn();
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  // Runs one or more statements without parameters, returning no rows.
  Status Exec(const std::string& sql);
  // Runs one statement with $1.. bound to params (as text), returning its
  // rows (none for a statement that returns none). Prepared on first use
  // on this connection, so the same text is parsed and planned once.
  // binary_results: values come in PostgreSQL's binary format (a bytea as
  // its bytes, not as hex twice their size; numbers are not text then).
  Result<std::vector<PgRow>> Query(const std::string& sql, const std::vector<PgParam>& params = {},
                                   bool binary_results = false);
  // Without waiting, for an event loop (PgMetadataStore's reads): Send
  // starts a statement as Query runs it (prepared first, on this
  // connection's first use of sql) and returns at once; the caller waits
  // for Socket() to be readable (and writable while Flush() is false),
  // then calls Receive. The connection stays non-blocking from the first
  // Send on: Query must not run on it after.
  Status Send(const std::string& sql, const std::vector<PgParam>& params, bool binary_results);
  // Sends what Send could not yet; false while some is left.
  bool Flush();
  // What the socket holds: the statement's rows once its answer is all
  // in, nullopt while more is to come (wait for the socket again), or its
  // error (the connection is then no longer ok() if only a new one helps).
  Result<std::optional<std::vector<PgRow>>> Receive();

  // True while the connection is usable.
  bool ok() const;
  // For a connection that sat idle: false if the server has since closed
  // it or said it would (a restart, an idle timeout), without a round trip.
  bool StillOpen();

  // For LISTEN: the socket to wait on, and the payloads of the
  // notifications that arrived (reading what the socket holds); an error
  // when the connection broke.
  int Socket() const;
  Result<std::vector<std::string>> TakeNotifications();

 private:
  PgConn(pg_conn* conn, int timeout_s) : conn_(conn), timeout_s_(timeout_s) {}
  // The answer to what was just sent (sent: whether sending worked),
  // waiting at most timeout_s_; null on failure (see Error).
  std::unique_ptr<pg_result, void (*)(pg_result*)> Finish(bool sent);
  static void OnNotice(void* self, const pg_result* notice);
  // OK for the result of statement sql that succeeded; else its error (Error),
  // or kUnavailable when a notice said its commit's wait for the
  // synchronous standby was cancelled.
  Status Outcome(const pg_result* result, const std::string& sql);
  // The error of a statement (result: its answer, if any), kUnavailable
  // when the server is the cause; marks the connection unusable when only
  // a new one can help.
  Status Error(const std::string& what, const pg_result* result);
  pg_conn* conn_;
  int timeout_s_;
  bool broken_ = false;
  bool timed_out_ = false;            // no answer even to a cancel: the connection is given up
  bool sync_wait_cancelled_ = false;  // a notice said so; cleared by the statement
  // Statements prepared on this connection: SQL text to name.
  std::unordered_map<std::string, std::string> prepared_;
  // Send's statement, while its answer is to come: preparing it first
  // (then it is sent again, prepared), or running.
  enum class Step { kIdle, kPreparing, kRunning };
  Step step_ = Step::kIdle;
  std::string sending_sql_;
  std::string sending_name_;  // while preparing: the name it is prepared under
  std::vector<PgParam> sending_params_;
  bool sending_binary_ = false;
  struct ResultFree {
    void operator()(pg_result* r) const;
  };
  std::unique_ptr<pg_result, ResultFree> got_;  // its answer so far
  // Sends the prepared statement name with params, without waiting for
  // its answer; false if it could not.
  bool SendQueryPrepared(const std::string& name, const std::vector<PgParam>& params,
                         bool binary_results);
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_POSTGRES_PG_H_
