// WalSyncer: makes what SQLite committed to the write-ahead log durable on a thread of its own, so that a commit
// that must survive a power loss (the enqueue behind a `queued` ack, ws-protocol.md §4.5) does not stall the loop
// for the length of an fdatasync (docs/architecture.md "Durable acks").
//
// The loop commits with synchronous=NORMAL, which leaves the frames in the WAL file (the kernel's page cache: they
// survive a crash of the process), and then asks for a ticket with request(). The syncer thread calls fdatasync on
// the WAL file. A sync covers every write that finished before it began, so one sync serves every ticket requested
// before it (group commit). After each sync the thread reports the highest ticket it covered, and whether the sync
// succeeded, to `on_synced` (on the syncer thread). Tickets are reported in increasing order.
//
// The first sync also syncs the WAL's directory, so that the file's own entry is durable (SQLite does the same once
// per file in FULL mode). The WAL is opened by path and opened again when the path names another file than the one
// held (a WAL that was deleted and created again), so a sync never lands on a file SQLite no longer writes.
//
// Thread-safety: request() from any thread. The destructor syncs what was requested and not yet synced, reports
// it, then joins the thread; `on_synced` must stay callable until then.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace aw::gateway::storage {

using SyncTicket = std::uint64_t;  // 0 is never handed out: it means "nothing to wait for"

class WalSyncer {
 public:
  // `ok` is false when the WAL could not be opened or fdatasync failed: the writes up to `synced` may not be durable.
  using OnSynced = std::function<void(SyncTicket synced, bool ok)>;

  // `wal_path`: the write-ahead log as SQLite names it (Database::wal_path). Tickets start after `last_ticket` (a
  // syncer that replaces another continues its numbering).
  WalSyncer(std::string wal_path, OnSynced on_synced, SyncTicket last_ticket = 0);
  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;
  ~WalSyncer();

  // A new ticket, covered by the next sync that starts from now on. Call it after the commit returned.
  SyncTicket request();

  // One fdatasync of the WAL on the calling thread, through a descriptor of its own (the syncer thread may sync at
  // the same time): everything committed before the call is durable when it returns true. For shutdown.
  bool sync_now();

  // Since start, for /metrics: syncs made, those that failed, and the time spent in them.
  struct Stats {
    std::int64_t syncs = 0;
    std::int64_t failures = 0;
    double seconds = 0;
  };
  Stats stats() const;

 private:
  void run();
  // fdatasync of the WAL (and, the first time, of its directory). Syncer thread only.
  bool sync_wal();
  bool open_wal();
  // Adds one sync that began at `started` to the stats; returns `ok`. Any thread.
  bool count(std::chrono::steady_clock::time_point started, bool ok);

  const std::string wal_path_;
  const std::string directory_path_;
  const OnSynced on_synced_;

  std::mutex mutex_;  // guards requested_ and stopping_
  std::condition_variable wake_;
  SyncTicket requested_;
  bool stopping_ = false;

  // Syncer thread only.
  SyncTicket synced_;
  int wal_fd_ = -1;
  bool directory_synced_ = false;

  // Written by the syncer thread, read by any.
  std::atomic<std::int64_t> syncs_{0};
  std::atomic<std::int64_t> failures_{0};
  std::atomic<std::int64_t> sync_nanoseconds_{0};

  std::thread thread_;  // last: started once everything above is initialised
};

}  // namespace aw::gateway::storage
