// The worker threads behind every parallel region (src/engine/worker_pool.cpp). A fork()
// copies the pool but not its threads: a child process (Python's multiprocessing, dask
// workers) that handed a region to the copied pool would wait forever for workers that do not
// exist. The pool must notice and run the child's regions on threads of its own.

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <thread>

#include "fixtures.hpp"
#include "parkscore/engine/plan.hpp"

using namespace parkscore;

namespace {

bool same_bits(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0;
}

}  // namespace

TEST_CASE("an evaluation in a forked child runs on threads of its own and gives the parent's bits") {
  const framework fw = test::two_category_framework();
  const Eigen::MatrixXd values = Eigen::MatrixXd::Random(60000, 3).array() + 2.0;
  std::vector<std::string> ids;
  for (int i = 0; i < values.rows(); ++i) ids.push_back("U" + std::to_string(i));
  const dataset data(ids, {"a1", "a2", "b1"}, values);
  const evaluation_plan plan = compile(fw);
  evaluation_options options;
  options.threads = 2;
  const result parent = plan.evaluate(data, options);   // the pool's threads now exist

  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {   // only async-signal-safe exits from here: no doctest in the child
    const result again = plan.evaluate(data, options);
    const bool same = same_bits(again.pools[0].scores, parent.pools[0].scores) &&
                      same_bits(again.pools[0].kept_ranks, parent.pools[0].kept_ranks);
    _exit(same ? 0 : 1);
  }
  int status = 0;
  pid_t done = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while ((done = waitpid(child, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (done == 0) {   // hung: waiting for workers that were not copied
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
  }
  CHECK(done == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
