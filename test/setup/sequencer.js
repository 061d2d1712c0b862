const Sequencer = require('@jest/test-sequencer').default;

/**
 * Suites known to run for half a minute or more go first. With no timings of an earlier run (a fresh
 * clone, so every CI run) Jest starts the largest files first, and the property suites, three lines each
 * that run for 30 s, came last and set the suite's tail. With timings, Jest's own order among them.
 */
const HEAVY = [/\/test\/process\//, /\/properties-[a-z]+\.e2e-spec\.ts$/, /\/live-rooms\.e2e-spec\.ts$/];

class HeavyFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const heavy = (test) => HEAVY.some((pattern) => pattern.test(test.path));
    return [...sorted.filter(heavy), ...sorted.filter((test) => !heavy(test))];
  }
}

module.exports = HeavyFirst;
