#include "daemon/base/read_combiner.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pastebin {
namespace {

// A fetch that answers "got KEY" for every key, records each batch it was
// asked, and holds every batch until Open(): so callers queue meanwhile.
class HeldFetch {
 public:
  std::vector<std::string> operator()(const std::vector<std::string>& keys) {
    std::unique_lock<std::mutex> lock(mu_);
    asked_.push_back(keys);
    ++out_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
    --out_;
    std::vector<std::string> answers;
    for (const std::string& k : keys) answers.push_back("got " + k);
    return answers;
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  // Waits until n batches are being fetched at once.
  void WaitForOut(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return out_ == n; });
  }
  std::vector<std::vector<std::string>> asked() {
    std::lock_guard<std::mutex> lock(mu_);
    return asked_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  size_t out_ = 0;
  std::vector<std::vector<std::string>> asked_;
};

template <typename T>
void WaitForWaiting(const ReadCombiner<T>& combiner, size_t n) {
  while (combiner.waiting() != n) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

TEST_CASE("a lone lookup is a batch of its own key") {
  std::vector<std::vector<std::string>> asked;
  ReadCombiner<std::string> combiner(1, 64, [&](const std::vector<std::string>& keys) {
    asked.push_back(keys);
    return std::vector<std::string>{"got " + keys[0]};
  });
  CHECK(combiner.Get("abc") == "got abc");
  CHECK(combiner.Get("def") == "got def");
  CHECK(asked == std::vector<std::vector<std::string>>{{"abc"}, {"def"}});
  CHECK(combiner.batches() == 2);
  CHECK(combiner.keys() == 2);
}

TEST_CASE("lookups that arrive while a batch is out are fetched together, each gets its own") {
  HeldFetch fetch;
  ReadCombiner<std::string> combiner(1, 64, std::ref(fetch));
  std::vector<std::string> answers(6);
  std::vector<std::thread> threads;
  threads.emplace_back([&] { answers[0] = combiner.Get("k0"); });
  fetch.WaitForOut(1);  // k0's batch is out
  for (int i = 1; i < 6; ++i) {
    threads.emplace_back([&, i] { answers[i] = combiner.Get("k" + std::to_string(i)); });
  }
  WaitForWaiting(combiner, 5);
  fetch.Open();
  for (auto& t : threads) t.join();
  for (int i = 0; i < 6; ++i) CHECK(answers[i] == "got k" + std::to_string(i));
  auto asked = fetch.asked();
  REQUIRE(asked.size() == 2);
  CHECK(asked[0] == std::vector<std::string>{"k0"});
  CHECK(asked[1].size() == 5);  // every one that queued, in one fetch
  CHECK(combiner.batches() == 2);
  CHECK(combiner.keys() == 6);
}

TEST_CASE("a batch takes at most max_batch keys, oldest first") {
  HeldFetch fetch;
  ReadCombiner<std::string> combiner(1, 2, std::ref(fetch));
  std::vector<std::string> answers(6);
  std::vector<std::thread> threads;
  threads.emplace_back([&] { answers[0] = combiner.Get("first"); });
  fetch.WaitForOut(1);
  // Queued one at a time, so their order is known.
  for (int i = 1; i <= 5; ++i) {
    threads.emplace_back([&, i] { answers[i] = combiner.Get("k" + std::to_string(i)); });
    WaitForWaiting(combiner, static_cast<size_t>(i));
  }
  fetch.Open();
  for (auto& t : threads) t.join();
  for (int i = 1; i <= 5; ++i) CHECK(answers[i] == "got k" + std::to_string(i));
  auto asked = fetch.asked();
  REQUIRE(asked.size() == 4);
  CHECK(asked[1] == std::vector<std::string>{"k1", "k2"});
  CHECK(asked[2] == std::vector<std::string>{"k3", "k4"});
  CHECK(asked[3] == std::vector<std::string>{"k5"});
}

TEST_CASE("up to max_running batches are out at once, and no more") {
  HeldFetch fetch;
  ReadCombiner<std::string> combiner(2, 64, std::ref(fetch));
  std::vector<std::thread> threads;
  threads.emplace_back([&] { combiner.Get("a"); });
  fetch.WaitForOut(1);
  threads.emplace_back([&] { combiner.Get("b"); });
  fetch.WaitForOut(2);  // a second batch went out beside the first
  threads.emplace_back([&] { combiner.Get("c"); });
  WaitForWaiting(combiner, 1);  // a third waits
  CHECK(combiner.batches() == 2);
  fetch.Open();
  for (auto& t : threads) t.join();
  CHECK(combiner.batches() == 3);
}

// Answers told to GetLater callbacks, by key, from whatever thread.
class Told {
 public:
  std::function<void(std::string)> For(const std::string& key) {
    return [this, key](std::string answer) {
      std::lock_guard<std::mutex> lock(mu_);
      answers_.emplace_back(key, std::move(answer));
      threads_.push_back(std::this_thread::get_id());
      cv_.notify_all();
    };
  }
  void WaitFor(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return answers_.size() >= n; });
  }
  std::vector<std::pair<std::string, std::string>> answers() {
    std::lock_guard<std::mutex> lock(mu_);
    return answers_;
  }
  std::vector<std::thread::id> threads() {
    std::lock_guard<std::mutex> lock(mu_);
    return threads_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::pair<std::string, std::string>> answers_;
  std::vector<std::thread::id> threads_;
};

TEST_CASE("lookups asked without waiting are fetched together and each told its own answer") {
  HeldFetch fetch;
  Told told;
  {
    ReadCombiner<std::string> combiner(1, 64, std::ref(fetch));
    combiner.GetLater("k0", told.For("k0"));  // returns at once: its batch is out
    fetch.WaitForOut(1);
    for (int i = 1; i < 5; ++i)
      combiner.GetLater("k" + std::to_string(i), told.For("k" + std::to_string(i)));
    CHECK(combiner.waiting() == 4);
    CHECK(told.answers().empty());
    fetch.Open();
    told.WaitFor(5);
    CHECK(combiner.batches() == 2);
    CHECK(combiner.keys() == 5);
  }
  for (const auto& [key, answer] : told.answers()) CHECK(answer == "got " + key);
  auto asked = fetch.asked();
  REQUIRE(asked.size() == 2);
  CHECK(asked[0] == std::vector<std::string>{"k0"});
  CHECK(asked[1] == std::vector<std::string>{"k1", "k2", "k3", "k4"});
  // Told on the combiner's thread, not the asker's.
  for (const auto& id : told.threads()) CHECK(id != std::this_thread::get_id());
}

TEST_CASE("a waiting caller's batch takes the lookups asked without waiting, and the other way") {
  HeldFetch fetch;
  Told told;
  ReadCombiner<std::string> combiner(1, 64, std::ref(fetch));
  std::string first, second;
  std::thread a([&] { first = combiner.Get("a"); });
  fetch.WaitForOut(1);
  combiner.GetLater("later", told.For("later"));
  std::thread b([&] { second = combiner.Get("b"); });
  WaitForWaiting(combiner, 2);
  fetch.Open();
  a.join();
  b.join();
  told.WaitFor(1);
  CHECK(first == "got a");
  CHECK(second == "got b");
  CHECK(told.answers()[0].second == "got later");
  auto asked = fetch.asked();
  REQUIRE(asked.size() == 2);
  CHECK(asked[1] == std::vector<std::string>{"later", "b"});  // in one batch, oldest first
}

TEST_CASE("a combiner going away first answers every lookup asked without waiting") {
  HeldFetch fetch;
  Told told;
  std::thread opener;
  {
    ReadCombiner<std::string> combiner(1, 2, std::ref(fetch));
    for (int i = 0; i < 5; ++i)
      combiner.GetLater("k" + std::to_string(i), told.For("k" + std::to_string(i)));
    fetch.WaitForOut(1);
    opener = std::thread([&] { fetch.Open(); });
  }  // waits for every batch, of at most two each
  opener.join();
  CHECK(told.answers().size() == 5);
  size_t keys = 0;
  for (const auto& batch : fetch.asked()) {
    CHECK(batch.size() <= 2);
    keys += batch.size();
  }
  CHECK(keys == 5);
}

}  // namespace
}  // namespace pastebin
