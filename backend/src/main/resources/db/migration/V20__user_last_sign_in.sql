-- When each account last signed in through the login page (null: never), for the admins' list of users.
ALTER TABLE app_user ADD COLUMN last_sign_in_at timestamptz;
