// The event loop behind HttpServer (see http_server.h): one thread that
// owns its connections, reading, parsing, dispatching and writing them.
// Private to the server: http_server.cc, http_loop.cc and http_exchange.cc.
#ifndef PASTEBIN_DAEMON_HTTP_HTTP_LOOP_H_
#define PASTEBIN_DAEMON_HTTP_HTTP_LOOP_H_

#include <stdint.h>
#include <sys/epoll.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "daemon/base/loop_watch.h"
#include "daemon/http/acceptor.h"
#include "daemon/http/http_connection.h"
#include "daemon/http/http_message.h"
#include "daemon/http/http_server.h"
#include "daemon/http/socket_ring.h"

namespace pastebin {

class HttpServer::Loop : public LoopWatch {
 public:
  explicit Loop(HttpServer& server);
  ~Loop() override;
  // False if the loop's epoll or event fd could not be made (errno says
  // why); such a loop must not run.
  bool ok() const { return epfd_ >= 0 && wake_fd_ >= 0; }

  // Wakes the loop from another thread (a stop, a posted answer).
  void Wake();
  // From a worker: the response to a request handled off the loop.
  void Post(std::shared_ptr<Connection> c, HttpRequest req, HttpResponse res);
  // From any thread: the answer to c's deferred request, built on the loop.
  void PostAnswer(std::shared_ptr<Connection> c, HttpRequest::BuildAnswer build);
  // From any thread: c's deferred request runs again on the loop, with
  // `fetched` (HttpRequest::run_again_later).
  void PostAgain(std::shared_ptr<Connection> c, std::shared_ptr<const void> fetched);
  // From another loop's accept: c is this loop's to serve from now on.
  void Adopt(std::shared_ptr<Connection> c);
  // Connections this loop serves, and those handed to it not yet taken.
  size_t load() const { return load_.load(std::memory_order_relaxed); }
  // Serves until the server stops and its connections have drained.
  void Run();

  // LoopWatch, from this loop's thread: other parts' sockets, answered
  // between this loop's own events.
  bool Watch(int fd, uint32_t events, Ready ready) override;
  void Unwatch(int fd) override;
  void EachRound(Round round) override;
  void RoundAgain() override { again_ = true; }
  void WaitAtMost(int ms) override { wait_ms_ = std::min(wait_ms_, ms); }

 private:
  // The longest a wait lasts: the loop sweeps, refreshes its Date and runs
  // its round hooks at least this often.
  static constexpr int kWaitMs = 100;
  // What ReadReady reads of a connection at most (ReadInput then reads on):
  // a request's head, and a small body.
  static constexpr size_t kRingRead = 16 * 1024;
  struct Completion {
    std::shared_ptr<Connection> conn;
    HttpRequest req;
    HttpResponse res;
    HttpRequest::BuildAnswer build;       // set for a deferred request's answer
    std::shared_ptr<const void> fetched;  // for a deferred request run again
    bool again = false;                   // run the deferred request again
    bool adopt = false;                   // a new connection from another loop
  };

  // Queues done for the loop (TakePosted), waking it if it may sleep.
  void Deliver(Completion done);
  void Accept(const HttpServer::Listener& listener);
  // The loop a new connection should go to: the one serving fewest.
  Loop& LeastLoaded();
  // Takes c into conns_ and epoll.
  void Serve(const std::shared_ptr<Connection>& c);
  void WatchListener(bool on);
  void OnEvent(const std::shared_ptr<Connection>& c, uint32_t events);
  void ReadInput(Connection& c);
  // Reads every plain connection among the round's events at once
  // (SocketRing), and takes their readiness off the events.
  void ReadReady(epoll_event* events, int n);
  void Process(const std::shared_ptr<Connection>& c);
  // The head of a request with a body is in: limit and charge the body.
  bool AdmitBody(Connection& c);
  // True while c may take no new request: its client is not reading its
  // answers.
  bool Backlogged(Connection& c);
  void Dispatch(const std::shared_ptr<Connection>& c, HttpRequest req);
  // Runs the handler of req, which may not block, here on the loop; true
  // when it answered here, false when the answer comes later or from a
  // reader.
  bool RunOnLoop(const std::shared_ptr<Connection>& c, HttpRequest req);
  // Hands req to pool: the workers for what may block long, the readers
  // for reads that missed what memory holds.
  void RunOnWorker(const std::shared_ptr<Connection>& c, HttpRequest req, WorkerPool& pool);
  void Respond(Connection& c, const HttpRequest& req, HttpResponse& res);
  void Refuse(Connection& c, int status, const std::string& message);
  // Queues bytes of c's own (charged to the output budget) or shared ones
  // (charged to nothing) after what c already has to send.
  void QueueOutput(Connection& c, std::string bytes);
  void QueueShared(Connection& c, std::shared_ptr<const std::string> bytes);
  // Starts c's write clocks when it had nothing to send.
  void StartOutput(Connection& c);
  // Sends what c has queued: with the round's other answers (SendQueued)
  // when the loop has a SocketRing and c is plain TCP, at once otherwise.
  void Flush(Connection& c);
  // Sends what c has queued now, until it is all out or the socket is full.
  void FlushNow(Connection& c);
  // All of c's answers are out: close it, linger, or start its idle clock.
  void Flushed(Connection& c);
  // Sends the round's queued answers, with one system call for all.
  void SendQueued();
  void AfterIo(const std::shared_ptr<Connection>& c);
  void UpdateInterest(Connection& c);
  void Close(Connection& c);
  void Sweep(int64_t now);
  void BeginDrain(int64_t now);
  void TakePosted();
  // The round hooks: the server's, then the watchers' (stopping: the
  // last). Out of memory, logged at most every 10 s (last_oom_log).
  void EndRound(bool stopping, int64_t* last_oom_log);

  HttpServer& server_;
  Acceptor acceptor_{"HTTP"};
  int epfd_ = -1;
  int wake_fd_ = -1;
  bool listening_ = false;  // the listening sockets are in epfd_
  std::unordered_map<int, std::shared_ptr<Connection>> conns_;
  std::unordered_map<int, std::shared_ptr<const Ready>> watched_;  // LoopWatch's, by fd
  std::vector<Round> rounds_;
  std::atomic<size_t> load_{0};
  std::mutex posted_mu_;
  std::vector<Completion> posted_;
  std::vector<Completion> taking_;                     // what TakePosted works through
  std::unique_ptr<SocketRing> ring_;                   // null: each read and answer is its own call
  std::vector<std::shared_ptr<Connection>> flushing_;  // answers for SendQueued
  std::vector<std::shared_ptr<Connection>> batch_;     // SendQueued's pass
  std::vector<std::shared_ptr<Connection>> sending_;   // in the SocketRing's batch
  std::vector<size_t> asked_;                          // bytes each was to send
  std::vector<std::shared_ptr<Connection>> reading_;   // read by ReadReady
  std::vector<int> read_events_;                       // their events' places
  std::unique_ptr<char[]> read_slots_;                 // kRingRead bytes a read
  bool again_ = false;                                 // RoundAgain: the next wait is none
  int wait_ms_ = kWaitMs;                              // WaitAtMost: the next wait's longest
  bool busy_ = false;                                  // the last wait found events
  bool posted_here_ = false;                           // posted_ has what this loop posted itself
  std::string date_;                                   // the Date header, refreshed twice a second
  int64_t date_ms_ = 0;
  int64_t now_ = 0;
  bool draining_ = false;
  int64_t drain_deadline_ = 0;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_HTTP_HTTP_LOOP_H_
