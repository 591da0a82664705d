import { Command } from 'commander';

const program = new Command('metanet').description('metanet: weight-space learning and machine unlearning');
program.parse();
