import { issueApiToken } from '../core/api-tokens.js';
import { defineCoreModels } from '../core/models/index.js';
import { runCli, withCliDatabase } from './run-cli.js';

/** npm run user:token -- <email> [name]: issues an API bearer token for the user and prints it once. */
runCli(async () => {
  const [email, name = 'cli'] = process.argv.slice(2);
  if (!email) throw new Error('usage: npm run user:token -- <email> [token name]');
  await withCliDatabase(() => {}, async (sequelize) => {
    const { User, ApiToken } = defineCoreModels(sequelize);
    const user = await User.findOne({ where: sequelize.where(sequelize.fn('lower', sequelize.col('email')), email.toLowerCase()) });
    if (!user) throw new Error(`no user with email ${email}`);
    console.log(await issueApiToken(ApiToken, user.id, name));
  });
});
