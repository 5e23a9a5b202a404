#include "daemon/store/postgres/pg.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace pastebin {
namespace {

// libpq's message without its trailing newline.
std::string Message(const char* m) {
  std::string s = m ? m : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// The rows of a statement's answer.
std::vector<PgRow> RowsOf(const PGresult* r) {
  std::vector<PgRow> rows;
  int n = PQntuples(r), cols = PQnfields(r);
  rows.reserve(n);
  for (int i = 0; i < n; ++i) {
    PgRow row;
    row.reserve(cols);
    for (int c = 0; c < cols; ++c) {
      if (PQgetisnull(r, i, c)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(
            std::string(PQgetvalue(r, i, c), static_cast<size_t>(PQgetlength(r, i, c))));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

// The server's warnings go to stderr (the journal) as libpq would print
// them; its notices ("already exists, skipping") are no news.
void PgConn::OnNotice(void* self, const PGresult* notice) {
  const char* message = PQresultErrorMessage(notice);
  if (message && strncmp(message, "NOTICE:", 7) != 0) fputs(message, stderr);
  const char* primary = PQresultErrorField(notice, PG_DIAG_MESSAGE_PRIMARY);
  // "canceling wait for synchronous replication ...": the transaction
  // committed on the primary alone (statement_timeout, say).
  if (primary && strncmp(primary, "canceling wait for synchronous replication", 42) == 0) {
    static_cast<PgConn*>(self)->sync_wait_cancelled_ = true;
  }
}

Status PgConn::Outcome(const pg_result* result, const std::string& sql) {
  ExecStatusType st = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  bool failed = st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK;
  if (!failed && !sync_wait_cancelled_) return Status::Ok();
  // Words for an error only: most statements succeed.
  const std::string what = "running " + sql.substr(0, 60);
  sync_wait_cancelled_ = false;
  if (failed) return Error(what, result);
  return Status(Code::kUnavailable, "PostgreSQL: " + what +
                                        ": the synchronous standby did not confirm the commit "
                                        "in time; it is on the primary alone");
}

Result<std::unique_ptr<PgConn>> PgConn::Open(const std::string& conninfo, int timeout_s) {
  // Ours first: keywords later in the list (conninfo's, expanded from
  // dbname) override them.
  std::string seconds = std::to_string(std::max(timeout_s, 2));  // libpq's least
  std::string millis = std::to_string(timeout_s * 1000);
  std::string options = "-c statement_timeout=" + millis;
  const char* keys[] = {"connect_timeout",
                        "keepalives",
                        "keepalives_idle",
                        "keepalives_interval",
                        "keepalives_count",
                        "tcp_user_timeout",
                        "options",
                        "dbname",
                        nullptr};
  const char* values[] = {
      seconds.c_str(),  "1",    "1", "1", seconds.c_str(), millis.c_str(), options.c_str(),
      conninfo.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr)
    return Status(Code::kUnavailable, "cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = Message(PQerrorMessage(conn));
    PQfinish(conn);
    return Status(Code::kUnavailable, "cannot connect to PostgreSQL (" + why +
                                          "); check postgres_url and that the server is up");
  }
  std::unique_ptr<PgConn> out(new PgConn(conn, timeout_s));
  PQsetNoticeReceiver(conn, OnNotice, out.get());
  return out;
}

PgConn::~PgConn() {
  got_.reset();
  PQfinish(conn_);
}

void PgConn::ResultFree::operator()(pg_result* r) const { PQclear(r); }

bool PgConn::ok() const { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }

int PgConn::Socket() const { return PQsocket(conn_); }

bool PgConn::StillOpen() {
  if (!ok()) return false;
  // An idle connection is sent nothing unless the server is closing it
  // ("terminating connection due to administrator command", then EOF).
  pollfd p{PQsocket(conn_), POLLIN, 0};
  int n = poll(&p, 1, 0);
  return n == 0;
}

Result<std::vector<std::string>> PgConn::TakeNotifications() {
  if (PQconsumeInput(conn_) != 1) return Error("reading notifications", nullptr);
  std::vector<std::string> out;
  while (PGnotify* n = PQnotifies(conn_)) {
    out.emplace_back(n->extra ? n->extra : "");
    PQfreemem(n);
  }
  return out;
}

std::unique_ptr<pg_result, void (*)(pg_result*)> PgConn::Finish(bool sent) {
  std::unique_ptr<pg_result, void (*)(pg_result*)> last(nullptr, PQclear);
  if (!sent) return last;
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + std::chrono::seconds(timeout_s_);
  while (PQisBusy(conn_)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      // No cancel (it would connect anew, without a bound, to a server
      // that may be unreachable): this connection is given up. Whatever
      // the statement did, it was not acknowledged.
      broken_ = timed_out_ = true;
      return last;
    }
    pollfd p{PQsocket(conn_), POLLIN, 0};
    int n = poll(&p, 1, static_cast<int>(left.count()));
    if (n < 0 && errno != EINTR) {
      broken_ = true;
      return last;
    }
    if (n > 0 && PQconsumeInput(conn_) != 1) return last;
  }
  // Several statements give several results: an error wins, else the last.
  while (PGresult* r = PQgetResult(conn_)) {
    bool failed = last && PQresultStatus(last.get()) == PGRES_FATAL_ERROR;
    if (failed) {
      PQclear(r);
    } else {
      last.reset(r);
    }
  }
  return last;
}

Status PgConn::Error(const std::string& what, const pg_result* result) {
  if (timed_out_) {
    return Status(Code::kUnavailable, "PostgreSQL: " + what + ": no answer within " +
                                          std::to_string(timeout_s_) +
                                          " s (postgres_timeout); the connection is dropped");
  }
  std::string why = Message(PQerrorMessage(conn_));
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state ? state : "";
  // Not a bad query but the server's unavailability: a broken connection,
  // a server shutting down or starting up (57P..), out of connections or
  // room (53...), or a standby where a primary was (25006, read-only: the
  // server was demoted; a new connection finds the new primary).
  if (sqlstate.rfind("57P", 0) == 0 || sqlstate.rfind("08", 0) == 0 || sqlstate == "25006") {
    broken_ = true;
  }
  bool unavailable =
      !ok() || sqlstate.rfind("53", 0) == 0 || sqlstate == "40001" || sqlstate == "40P01";
  return Status(unavailable ? Code::kUnavailable : Code::kInternal,
                "PostgreSQL: " + what + ": " + why);
}

Status PgConn::Exec(const std::string& sql) {
  auto r = Finish(PQsendQuery(conn_, sql.c_str()) == 1);
  return Outcome(r.get(), sql);
}

std::optional<std::string> PgBytes(const std::string& text) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) {
    return std::nullopt;
  }
  // A digit's value, or -1: a table, as a body of a MB is two million of them.
  static const auto kValue = [] {
    std::array<int8_t, 256> v;
    v.fill(-1);
    for (int c = '0'; c <= '9'; ++c) v[c] = static_cast<int8_t>(c - '0');
    for (int c = 'a'; c <= 'f'; ++c) v[c] = static_cast<int8_t>(c - 'a' + 10);
    return v;
  }();
  std::string out(text.size() / 2 - 1, '\0');
  const auto* in = reinterpret_cast<const unsigned char*>(text.data()) + 2;
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = kValue[in[2 * i]], lo = kValue[in[2 * i + 1]];
    if ((hi | lo) < 0) return std::nullopt;
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::string PgTextArray(const std::vector<std::string>& elements) {
  std::string out = "{";
  for (const std::string& e : elements) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : e) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

bool PgConn::SendQueryPrepared(const std::string& name, const std::vector<PgParam>& params,
                               bool binary_results) {
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  for (const auto& p : params) {
    values.push_back(p.value ? p.value->data() : nullptr);
    lengths.push_back(p.value ? static_cast<int>(p.value->size()) : 0);
    formats.push_back(p.binary ? 1 : 0);
  }
  return PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(),
                             lengths.data(), formats.data(), binary_results ? 1 : 0) == 1;
}

Result<std::vector<PgRow>> PgConn::Query(const std::string& sql, const std::vector<PgParam>& params,
                                         bool binary_results) {
  // Each statement is parsed and planned once per connection, then run
  // as prepared: a read costs the server a lookup, not a parse.
  auto named = prepared_.find(sql);
  if (named == prepared_.end()) {
    std::string name = "s" + std::to_string(prepared_.size());
    auto made = Finish(PQsendPrepare(conn_, name.c_str(), sql.c_str(),
                                     static_cast<int>(params.size()), nullptr) == 1);
    if (!made || PQresultStatus(made.get()) != PGRES_COMMAND_OK) {
      return Error("preparing " + sql.substr(0, 60), made.get());
    }
    named = prepared_.emplace(sql, std::move(name)).first;
  }
  auto r = Finish(SendQueryPrepared(named->second, params, binary_results));
  Status done = Outcome(r.get(), sql);
  if (!done.ok()) return done;
  return RowsOf(r.get());
}

Status PgConn::Send(const std::string& sql, const std::vector<PgParam>& params,
                    bool binary_results) {
  if (step_ != Step::kIdle) return Internal("PostgreSQL: a statement is already out");
  if (PQisnonblocking(conn_) == 0 && PQsetnonblocking(conn_, 1) != 0) {
    return Error("going non-blocking", nullptr);
  }
  sending_sql_ = sql;
  sending_binary_ = binary_results;
  sending_params_.clear();
  if (auto named = prepared_.find(sql); named != prepared_.end()) {
    if (!SendQueryPrepared(named->second, params, binary_results)) {
      return Error("running " + sql.substr(0, 60), nullptr);
    }
    step_ = Step::kRunning;
    return Status::Ok();
  }
  sending_name_ = "s" + std::to_string(prepared_.size());
  if (PQsendPrepare(conn_, sending_name_.c_str(), sql.c_str(), static_cast<int>(params.size()),
                    nullptr) != 1) {
    return Error("preparing " + sql.substr(0, 60), nullptr);
  }
  sending_params_ = params;  // for the statement itself, once prepared
  step_ = Step::kPreparing;
  return Status::Ok();
}

bool PgConn::Flush() { return PQflush(conn_) == 0; }

Result<std::optional<std::vector<PgRow>>> PgConn::Receive() {
  using Out = std::optional<std::vector<PgRow>>;
  if (step_ == Step::kIdle) return Internal("PostgreSQL: no statement is out");
  if (PQconsumeInput(conn_) != 1) {
    step_ = Step::kIdle;
    broken_ = true;
    return Error("reading an answer", nullptr);
  }
  for (;;) {
    if (PQisBusy(conn_)) return Out();  // more to come (got_ keeps what came)
    PGresult* r = PQgetResult(conn_);
    if (!r) break;  // the statement's answer is all in
    bool failed = got_ && PQresultStatus(got_.get()) == PGRES_FATAL_ERROR;
    if (failed) {
      PQclear(r);
    } else {
      got_.reset(r);
    }
  }
  std::unique_ptr<pg_result, ResultFree> last = std::move(got_);
  if (step_ == Step::kPreparing) {
    if (!last || PQresultStatus(last.get()) != PGRES_COMMAND_OK) {
      step_ = Step::kIdle;
      return Error("preparing " + sending_sql_.substr(0, 60), last.get());
    }
    prepared_.emplace(sending_sql_, sending_name_);
    if (!SendQueryPrepared(sending_name_, sending_params_, sending_binary_)) {
      step_ = Step::kIdle;
      return Error("running " + sending_sql_.substr(0, 60), nullptr);
    }
    step_ = Step::kRunning;
    return Out();
  }
  step_ = Step::kIdle;
  Status done = Outcome(last.get(), sending_sql_);
  if (!done.ok()) return done;
  return Out(RowsOf(last.get()));
}

}  // namespace pastebin
