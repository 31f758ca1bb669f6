// WalSyncer (see wal_syncer.h).
#include "gateway/storage/wal_syncer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <utility>

namespace aw::gateway::storage {
namespace {

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// fsync, or fdatasync when `data_only`, of the file at `path` through a descriptor of its own.
bool sync_path(const std::string& path, int flags, bool data_only) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = (data_only ? ::fdatasync(fd) : ::fsync(fd)) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

WalSyncer::WalSyncer(std::string wal_path, OnSynced on_synced, SyncTicket last_ticket)
    : wal_path_(std::move(wal_path)),
      directory_path_(directory_of(wal_path_)),
      on_synced_(std::move(on_synced)),
      requested_(last_ticket),
      synced_(last_ticket),
      thread_([this] { run(); }) {}

WalSyncer::~WalSyncer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  if (wal_fd_ >= 0) ::close(wal_fd_);
}

SyncTicket WalSyncer::request() {
  SyncTicket ticket = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ticket = ++requested_;
  }
  wake_.notify_one();
  return ticket;
}

void WalSyncer::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return requested_ > synced_ || stopping_; });
    if (requested_ == synced_) return;  // stopping with nothing left to sync
    const SyncTicket target = requested_;
    lock.unlock();
    const auto started = std::chrono::steady_clock::now();
    const bool ok = count(started, sync_wal());
    synced_ = target;
    on_synced_(synced_, ok);
    lock.lock();
  }
}

bool WalSyncer::sync_now() {
  const auto started = std::chrono::steady_clock::now();
  return count(started, sync_path(wal_path_, O_RDONLY, true));
}

bool WalSyncer::count(std::chrono::steady_clock::time_point started, bool ok) {
  sync_nanoseconds_ +=
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started).count();
  syncs_ += 1;
  if (!ok) failures_ += 1;
  return ok;
}

WalSyncer::Stats WalSyncer::stats() const {
  return Stats{syncs_.load(), failures_.load(), static_cast<double>(sync_nanoseconds_.load()) / 1e9};
}

bool WalSyncer::open_wal() {
  struct stat by_path {};
  if (::stat(wal_path_.c_str(), &by_path) != 0) return false;
  if (wal_fd_ >= 0) {
    struct stat held {};
    if (::fstat(wal_fd_, &held) == 0 && held.st_dev == by_path.st_dev && held.st_ino == by_path.st_ino) return true;
    ::close(wal_fd_);
    wal_fd_ = -1;
    directory_synced_ = false;  // a new file: its directory entry is new too
  }
  wal_fd_ = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
  return wal_fd_ >= 0;
}

bool WalSyncer::sync_wal() {
  if (!open_wal()) return false;
  if (::fdatasync(wal_fd_) != 0) return false;
  if (!directory_synced_) directory_synced_ = sync_path(directory_path_, O_RDONLY | O_DIRECTORY, false);
  return directory_synced_;
}

}  // namespace aw::gateway::storage
