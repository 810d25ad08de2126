// Read skew through a predicate under read committed: a dashboard counts the queued jobs, then
// lists how many are running, in one transaction, while a worker moves a job from queued to running:
//   BEGIN;
//   SELECT count(*) FROM jobs WHERE status = 'queued';
//   SELECT count(*) FROM jobs WHERE status = 'running';
//   COMMIT;
// No row is inserted or deleted, so this is no phantom: an update moved a row from one search's
// rows into the other's. Possible: the two counts add up to more jobs than exist.
model predicate_read_skew_read_committed
runtime threads

enum Status { queued, running }
table jobs(id key, status Status) { (1, 'queued'), (2, 'queued') }
ghost anomalies = 0

process Worker {
    update jobs set status = 'running' where id = 1
}

process Dashboard {
    transaction isolation read_committed {
        let waiting = select count(*) from jobs where status = 'queued'
        let busy = select count(*) from jobs where status = 'running'
        if not (waiting + busy == 2) {
            anomalies += 1              // the dashboard counted job 1 twice
        }
    }
}

invariant consistent: anomalies == 0
expect violation consistent
