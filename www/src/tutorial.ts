// The Go tutorial the playground follows, named, and which part of the page
// brings each of its sections to life: the page's intro says both.

export const TUTORIAL_TITLE = 'Comprehensive Guide to Worker Pools in Go';

/** Its sections, in its order (its table of contents). */
export const TUTORIAL_SECTIONS = [
  'Introduction',
  'What is a Worker Pool?',
  'Implementation Without Worker Pool',
  'Implementation With Worker Pool',
  'Benefits of Worker Pools',
  'Control Comparison',
  'Common Errors and Warnings',
  'Best Practices',
] as const;

export type TutorialSection = (typeof TUTORIAL_SECTIONS)[number];

/** Each view of the page, the sections it brings to life, and how. */
export const VIEW_SECTIONS: readonly { view: string; sections: readonly TutorialSection[]; how: string }[] = [
  { view: 'Run', sections: ['Introduction', 'What is a Worker Pool?', 'Implementation With Worker Pool'],
    how: 'a fixed set of workers takes jobs from a queue, watched live' },
  { view: 'Compare', sections: ['Implementation Without Worker Pool', 'Benefits of Worker Pools', 'Control Comparison'],
    how: 'the same tasks with one worker per task, with a pool and with rayon, side by side' },
  { view: 'Lessons', sections: ['Common Errors and Warnings', 'Best Practices'],
    how: 'each mistake and its fix run on real threads, the tutorial\'s Go beside the Rust that ran' },
];
