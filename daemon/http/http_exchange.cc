// The request side of an event loop (http_loop.h): parsing what a
// connection delivered, admitting bodies, dispatching to handlers on the
// loop or a worker, and queueing and flushing answers. Accepting, watching
// and timing connections out is in http_loop.cc.
#include <errno.h>
#include <sys/socket.h>

#include <chrono>
#include <new>

#include "daemon/base/log.h"
#include "daemon/http/http_loop.h"

namespace pastebin {
namespace {

constexpr int kLingerMs = 2000;  // reading leftovers after a refusal
// Answers at most this big go out even when unsent answers are over the
// server's budget: errors and small pastes; the per-connection bound keeps
// each client's share of them small.
constexpr size_t kSmallAnswer = 16 * 1024;

// Runs the handler; what it throws ends this request, never the process.
void HandleSafely(HttpHandler& handler, HttpRequest& req, HttpResponse& res) {
  try {
    handler.Handle(req, res);
  } catch (const std::bad_alloc&) {
    res = HttpResponse();
    handler.Refuse(req, 503, "the server is out of memory; try again shortly", res);
    res.SetHeader("Retry-After", "1");
  } catch (const std::exception& e) {
    LogError("a handler failed: " + std::string(e.what()));
    res = HttpResponse();
    handler.Refuse(req, 500, "the server failed to answer this request", res);
  }
}

// Runs a deferred request's answer builder, as HandleSafely runs handlers.
void BuildSafely(HttpHandler& handler, const HttpRequest::BuildAnswer& build,
                 const HttpRequest& req, HttpResponse& res) {
  try {
    build(req, res);
  } catch (const std::bad_alloc&) {
    res = HttpResponse();
    handler.Refuse(req, 503, "the server is out of memory; try again shortly", res);
    res.SetHeader("Retry-After", "1");
  } catch (const std::exception& e) {
    LogError("an answer failed: " + std::string(e.what()));
    res = HttpResponse();
    handler.Refuse(req, 500, "the server failed to answer this request", res);
  }
}

// Counts sent bytes (no more than c has queued) of c's answers as gone:
// their budget back, the write clock moved.
void Advance(Connection& c, size_t sent, MemoryBudget& budget, int64_t now) {
  c.sent_since += static_cast<int64_t>(sent);
  c.last_write = now;
  for (auto it = c.out.begin(); sent > 0 && it != c.out.end(); ++it) {
    size_t left = it->bytes().size() - it->off;
    size_t take = std::min(left, sent);
    it->off += take;
    c.pending -= take;
    if (!it->shared) {
      c.pending_owned -= take;
      budget.Give(take);
    }
    sent -= take;
  }
}

}  // namespace

bool HttpServer::Loop::Backlogged(Connection& c) {
  return c.pending_output() > server_.options_.max_output_per_connection;
}

bool HttpServer::Loop::AdmitBody(Connection& c) {
  HttpRequest& req = c.parser.mutable_request();
  req.remote_addr = c.remote_addr;
  req.peer_uid = c.peer_uid;
  size_t limit = server_.handler_->Admit(req);
  req.admitted = true;
  c.parser.SetBodyLimit(limit);
  auto length = c.parser.content_length();
  if (length && *length > limit) return true;  // the parser answers 413
  c.body_charge = std::make_shared<MemoryCharge>(server_.body_memory_);
  // A known length is charged whole at once: the body is coming.
  if (!c.body_charge->GrowTo(static_cast<size_t>(length.value_or(0)))) {
    Refuse(c, 503, "the server is receiving too many uploads at once; try again shortly");
    return false;
  }
  return true;
}

void HttpServer::Loop::Process(const std::shared_ptr<Connection>& c) {
  size_t off = 0;  // bytes of c->in consumed: dropped once, at the end
  while (c->fd >= 0 && c->state == Connection::State::kReading && !c->close_after_write) {
    bool was_started = c->parser.started();
    if (!was_started && (off == c->in.size() || Backlogged(*c))) break;
    size_t used = 0;
    RequestParser::State state = c->parser.Parse(std::string_view(c->in).substr(off), &used);
    off += used;
    if (!was_started && c->parser.started()) c->request_started = now_;
    // A chunked body is charged as it grows (by capacity: what it holds).
    if (c->body_charge && state != RequestParser::State::kError &&
        !c->body_charge->GrowTo(c->parser.request().body.capacity())) {
      Refuse(*c, 503, "the server is receiving too many uploads at once; try again shortly");
      break;
    }
    if (state == RequestParser::State::kNeedMore) break;
    if (state == RequestParser::State::kHead) {
      c->head_done = now_;
      if (!AdmitBody(*c)) break;
    } else if (state == RequestParser::State::kContinue) {
      QueueOutput(*c, "HTTP/1.1 100 Continue\r\n\r\n");
      Flush(*c);
    } else if (state == RequestParser::State::kError) {
      Refuse(*c, c->parser.error_status(), c->parser.error_message());
      break;
    } else {  // kDone
      HttpRequest req = c->parser.TakeRequest();
      c->parser.Reset();
      req.remote_addr = c->remote_addr;
      req.peer_uid = c->peer_uid;
      req.received = std::chrono::steady_clock::now();
      req.body_charge = std::move(c->body_charge);
      c->in.erase(0, off);
      off = 0;
      Dispatch(c, std::move(req));
    }
  }
  c->in.erase(0, off);
}

void HttpServer::Loop::Dispatch(const std::shared_ptr<Connection>& c, HttpRequest req) {
  HttpHandler& handler = *server_.handler_;
  if (!req.admitted) {  // no body followed its head: admitted now
    handler.Admit(req);
    req.admitted = true;
  }
  if (!handler.MayBlock(req)) {
    RunOnLoop(c, std::move(req));
    return;
  }
  RunOnWorker(c, std::move(req), *server_.pool_);
}

bool HttpServer::Loop::RunOnLoop(const std::shared_ptr<Connection>& c, HttpRequest req) {
  HttpHandler& handler = *server_.handler_;
  HttpResponse res;
  req.may_block = false;
  Loop* loop = this;
  req.answer_later = [loop, c](HttpRequest::BuildAnswer build) {
    loop->PostAnswer(c, std::move(build));
  };
  req.run_again_later = [loop, c](std::shared_ptr<const void> fetched) {
    loop->PostAgain(c, std::move(fetched));
  };
  HandleSafely(handler, req, res);
  req.answer_later = nullptr;
  req.run_again_later = nullptr;
  if (res.deferred) {
    // The answer comes later (PostAnswer, PostAgain); no thread waits for it.
    c->deferred_request = std::move(req);
    c->state = Connection::State::kHandling;
    UpdateInterest(*c);
    return false;
  }
  if (!res.would_block) {
    Respond(*c, req, res);
    return true;
  }
  req.may_block = true;  // the disk is needed: a reader's job
  RunOnWorker(c, std::move(req), *server_.read_pool_);
  return false;
}

void HttpServer::Loop::RunOnWorker(const std::shared_ptr<Connection>& c, HttpRequest req,
                                   WorkerPool& pool) {
  c->state = Connection::State::kHandling;
  Loop* loop = this;
  HttpHandler& handler = *server_.handler_;
  auto task = [loop, c, &handler, req = std::move(req)]() mutable {
    HttpResponse res;
    HandleSafely(handler, req, res);
    try {
      loop->Post(c, std::move(req), std::move(res));
    } catch (const std::bad_alloc&) {
      // The answer is lost; the connection times out.
    }
  };
  if (!pool.Submit(std::move(task), server_.options_.max_queued)) {
    c->state = Connection::State::kReading;
    Refuse(*c, 503, "the server is busy; try again shortly");
    return;
  }
  UpdateInterest(*c);
}

void HttpServer::Loop::TakePosted() {
  // Two vectors trade places: each keeps its capacity, so a steady stream
  // of answers allocates nothing here.
  std::vector<Completion>& done = taking_;
  {
    std::lock_guard<std::mutex> lock(posted_mu_);
    done.swap(posted_);
  }
  struct Clear {
    std::vector<Completion>& v;
    ~Clear() { v.clear(); }
  } clear{done};
  for (Completion& d : done) {
    Connection& c = *d.conn;
    if (d.adopt) {
      Serve(d.conn);
      continue;
    }
    if (c.fd < 0) continue;  // cut off by the drain deadline
    c.state = Connection::State::kReading;
    try {
      if (d.again) {
        HttpRequest req = std::move(c.deferred_request);
        c.deferred_request = HttpRequest();
        req.fetched = std::move(d.fetched);
        if (!RunOnLoop(d.conn, std::move(req))) continue;  // not answered yet
      } else if (d.build) {
        HttpRequest req = std::move(c.deferred_request);
        c.deferred_request = HttpRequest();
        BuildSafely(*server_.handler_, d.build, req, d.res);
        Respond(c, req, d.res);
      } else {
        Respond(c, d.req, d.res);
      }
      AfterIo(d.conn);  // pipelined requests already read
    } catch (const std::bad_alloc&) {
      Close(c);
    }
  }
}

void HttpServer::Loop::Respond(Connection& c, const HttpRequest& req, HttpResponse& res) {
  bool head = req.method == "HEAD";
  // A large shared body goes out from where it is kept; a small one is
  // copied after the head (one write, no second segment).
  bool shared = !head && res.shared_body && res.shared_body->size() > kSmallAnswer;
  size_t body = head || shared ? 0 : res.BodySize();
  // Unsent answers over the budget: a big one becomes a small refusal.
  if (body > kSmallAnswer &&
      server_.output_memory_.used() + body > server_.output_memory_.limit()) {
    res = HttpResponse();
    server_.handler_->Refuse(req, 503, "the server is sending too much at once; try again shortly",
                             res);
    res.SetHeader("Retry-After", "1");
  }
  bool keep = req.keep_alive && !draining_ && !c.peer_closed;
  if (!keep) c.close_after_write = true;
  server_.handler_->Answered(req, res);
  shared = shared && res.shared_body;  // a refusal above has none
  QueueOutput(c, SerializeResponse(res, keep, head, date_, server_.options_.common_headers,
                                   /*with_body=*/!shared));
  if (shared) QueueShared(c, res.shared_body);
  Flush(c);
}

void HttpServer::Loop::Refuse(Connection& c, int status, const std::string& message) {
  HttpRequest partial = c.parser.TakeRequest();
  partial.remote_addr = c.remote_addr;
  partial.peer_uid = c.peer_uid;
  partial.body.clear();
  c.body_charge.reset();
  HttpResponse res;
  server_.handler_->Refuse(partial, status, message, res);
  if (status == 503) res.SetHeader("Retry-After", "1");
  server_.handler_->Answered(partial, res);
  c.close_after_write = true;
  c.linger = true;
  QueueOutput(c, SerializeResponse(res, false, false, date_, server_.options_.common_headers));
  Flush(c);
}

void HttpServer::Loop::QueueOutput(Connection& c, std::string bytes) {
  StartOutput(c);
  server_.output_memory_.Take(bytes.size());
  c.pending += bytes.size();
  c.pending_owned += bytes.size();
  // Pipelined answers share one buffer while the last one is owned.
  if (!c.out.empty() && !c.out.back().shared && c.out.back().off == 0) {
    c.out.back().owned += bytes;
  } else {
    c.out.push_back({std::move(bytes), nullptr, 0});
  }
}

void HttpServer::Loop::QueueShared(Connection& c, std::shared_ptr<const std::string> bytes) {
  StartOutput(c);
  c.pending += bytes->size();
  c.out.push_back({std::string(), std::move(bytes), 0});
}

void HttpServer::Loop::StartOutput(Connection& c) {
  if (c.pending_output() > 0) return;
  c.last_write = now_;  // the write clock starts
  c.output_since = now_;
  c.sent_since = 0;
}

void HttpServer::Loop::Flush(Connection& c) {
  if (!ring_ || c.ssl) {
    FlushNow(c);
    return;
  }
  if (c.flush_queued) return;
  c.flush_queued = true;
  flushing_.push_back(c.shared_from_this());
}

void HttpServer::Loop::FlushNow(Connection& c) {
  while (!c.out.empty()) {
    Connection::Output& o = c.out.front();
    std::string_view bytes = o.bytes();
    if (o.off == bytes.size()) {
      c.out.pop_front();  // a big answer's buffer goes back now
      continue;
    }
    ssize_t n = c.Send(bytes.data() + o.off, bytes.size() - o.off);
    if (n > 0) {
      Advance(c, static_cast<size_t>(n), server_.output_memory_, now_);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n < 0 && errno == EINTR) continue;
    Close(c);  // the peer is gone
    return;
  }
  Flushed(c);
}

void HttpServer::Loop::Flushed(Connection& c) {
  if (c.close_after_write && !c.linger) {
    Close(c);
  } else if (c.close_after_write && c.state != Connection::State::kLingering) {
    // After a refusal, half-close and drain what the client still sends,
    // so the answer is not lost to a reset when unread request bytes remain
    // (a lingering close, as nginx does).
    if (c.ssl) SSL_shutdown(c.ssl);
    shutdown(c.fd, SHUT_WR);
    c.state = Connection::State::kLingering;
    c.linger_until = now_ + kLingerMs;
    c.in.clear();
    c.in.shrink_to_fit();
  } else if (c.state == Connection::State::kReading) {
    c.last_read = now_;  // the idle clock starts after an answer
  }
}

void HttpServer::Loop::SendQueued() {
  // Answering what was read ahead (AfterIo) may queue more: another pass
  // sends it.
  while (!flushing_.empty()) {
    batch_.clear();
    batch_.swap(flushing_);  // what AfterIo queues goes to the next pass
    sending_.clear();
    asked_.clear();
    ring_->Clear();
    for (auto& c : batch_) {
      c->flush_queued = false;
      if (c->fd < 0) continue;  // closed since
      iovec pieces[SocketRing::kMaxPieces];
      size_t n = 0, asked = 0;
      for (auto& o : c->out) {
        if (n == SocketRing::kMaxPieces) break;
        std::string_view bytes = o.bytes();
        if (o.off == bytes.size()) continue;
        pieces[n++] = {const_cast<char*>(bytes.data() + o.off), bytes.size() - o.off};
        asked += bytes.size() - o.off;
      }
      // Nothing left to send, or one alone (which costs less as a send(2)
      // of its own): now.
      if (n == 0 || batch_.size() == 1) {
        FlushNow(*c);
        if (c->fd >= 0) AfterIo(c);
        continue;
      }
      ring_->AddSend(c->fd, pieces, n);
      sending_.push_back(c);
      asked_.push_back(asked);
    }
    if (!sending_.empty()) ring_->Run();
    for (size_t i = 0; i < sending_.size(); ++i) {
      Connection& c = *sending_[i];
      if (c.fd < 0) continue;
      long n = ring_->result(i);
      if (n > 0) {
        Advance(c, static_cast<size_t>(n), server_.output_memory_, now_);
        // Less than asked: the socket is full, and epoll says when it has
        // room. All of it: the buffers sent go back, what lies past the
        // pieces goes now, and an answer that closes closes.
        if (static_cast<size_t>(n) == asked_[i]) FlushNow(c);
      } else if (n != -EAGAIN && n != -EWOULDBLOCK) {
        Close(c);  // the peer is gone
        continue;
      }
      if (c.fd >= 0) AfterIo(sending_[i]);
    }
  }
  batch_.clear();
}

}  // namespace pastebin
