export { type Pins, pinVariants, variantsOf } from './pin.js';
export { createTestProvider, TestProvider } from './test-provider.js';
