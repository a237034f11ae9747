import { type Applicant, generateApplicant } from '@flaglens/example-express-inference/data';

export const SCENARIO_NAMES = ['healthy', 'latency-regression', 'accuracy-regression', 'input-drift', 'srm-bug'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** The faults the service's `PUT /admin/faults` takes: per variant, added latency and a share of flipped answers. */
export type Faults = Record<string, { latencyMs?: number; wrongRate?: number }>;

/** The variant that regresses in the scenarios: the candidate of the `risk-model` flag. */
export const CANDIDATE = 'v2';

/** What changes once a scenario's healthy warm-up is over. Every change is real behaviour, never a faked figure. */
export interface Scenario {
  readonly name: ScenarioName;
  readonly description: string;
  /** Set on the service: its candidate's model really gets slower or really answers wrong. */
  readonly faults?: Faults;
  /** The applicants sent: healthy traffic draws from the training distribution. */
  readonly applicant: (random: () => number) => Applicant;
  /** A client bug: every request the candidate answers is sent again, so the candidate is evaluated twice as often. */
  readonly retryVariant?: string;
}

/** A downturn: incomes fall by a third and debt ratios rise by 0.2, so the scores' distribution moves. */
export function downturnApplicant(random: () => number): Applicant {
  const a = generateApplicant(random);
  return {
    ...a,
    income: Math.round(a.income * 0.67 * 10) / 10,
    debtRatio: Math.round(Math.min(1.5, a.debtRatio + 0.2) * 1000) / 1000,
  };
}

const SCENARIOS: Record<ScenarioName, Scenario> = {
  healthy: { name: 'healthy', description: 'both models as trained', applicant: generateApplicant },
  'latency-regression': {
    name: 'latency-regression',
    description: `${CANDIDATE}'s model gets 250 ms slower`,
    faults: { [CANDIDATE]: { latencyMs: 250 } },
    applicant: generateApplicant,
  },
  'accuracy-regression': {
    name: 'accuracy-regression',
    description: `${CANDIDATE}'s model flips 40% of its answers`,
    faults: { [CANDIDATE]: { wrongRate: 0.4 } },
    applicant: generateApplicant,
  },
  'input-drift': {
    name: 'input-drift',
    description: 'applicants shift: incomes fall by a third, debt ratios rise by 0.2',
    applicant: downturnApplicant,
  },
  'srm-bug': {
    name: 'srm-bug',
    description: `a client bug re-sends every request ${CANDIDATE} answers`,
    applicant: generateApplicant,
    retryVariant: CANDIDATE,
  },
};

/** The scenario of a name; the healthy one before its warm-up ends. */
export function scenarioOf(name: ScenarioName): Scenario {
  return SCENARIOS[name];
}

export const HEALTHY: Scenario = SCENARIOS.healthy;
