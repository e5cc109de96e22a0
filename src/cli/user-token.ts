import { issueApiToken } from '../core/api-tokens.js';
import { createSequelize } from '../core/database.js';
import { defineCoreModels } from '../core/models/index.js';
import { resolveDatabase } from '../runtime/database-url.js';

/** npm run user:token -- <email> [name]: issues an API bearer token for the user and prints it once. */
async function main(): Promise<void> {
  const [email, name = 'cli'] = process.argv.slice(2);
  if (!email) throw new Error('usage: npm run user:token -- <email> [token name]');
  const database = await resolveDatabase(() => {});
  const sequelize = createSequelize(database.url, { poolMax: 2 });
  try {
    const { User, ApiToken } = defineCoreModels(sequelize);
    const user = await User.findOne({ where: sequelize.where(sequelize.fn('lower', sequelize.col('email')), email.toLowerCase()) });
    if (!user) throw new Error(`no user with email ${email}`);
    console.log(await issueApiToken(ApiToken, user.id, name));
  } finally {
    await sequelize.close();
    await database.stop?.();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
