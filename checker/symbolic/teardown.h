// Freeing a run's Z3 objects off the reporting path. Z3 4.8.12 can take from seconds to minutes
// to free a large context (20 to 100 s after 5 s of work on 20 serializable transactions, most
// of it walking the terms an interrupted check left behind), and a report must not wait for it.
#pragma once

#include <memory>

namespace racecheck::symbolic {

// Frees `object` (drops this reference to it) on a background thread, after the objects handed
// over before it. The process may exit before that is done: nothing in it is awaited.
void FreeInBackground(std::shared_ptr<void> object);

}  // namespace racecheck::symbolic
