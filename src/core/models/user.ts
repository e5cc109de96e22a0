import { DataTypes, type InferAttributes, type InferCreationAttributes, type CreationOptional, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export type UserRole = 'admin' | 'viewer' | 'user';

export interface UserAttributes extends Model<InferAttributes<UserAttributes>, InferCreationAttributes<UserAttributes>> {
  id: CreationOptional<number>;
  email: string;
  username: string;
  name: CreationOptional<string | null>;
  /** bcrypt hash; null for users who never log into the panel. */
  passwordHash: CreationOptional<string | null>;
  /** admin and viewer may log into the panel; user is a customer of the host application. */
  role: CreationOptional<UserRole>;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}

export type UserModel = ModelStatic<UserAttributes>;

export function defineUser(sequelize: Sequelize): UserModel {
  return sequelize.define<UserAttributes>(
    'User',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      email: { type: DataTypes.TEXT, allowNull: false, validate: { isEmail: true } },
      username: { type: DataTypes.TEXT, allowNull: false, validate: { len: [1, 150] } },
      name: { type: DataTypes.TEXT, allowNull: true },
      passwordHash: { type: DataTypes.TEXT, allowNull: true },
      role: { type: DataTypes.TEXT, allowNull: false, defaultValue: 'user', validate: { isIn: [['admin', 'viewer', 'user']] } },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { tableName: 'users', underscored: true },
  );
}
