-- The plugin catalogue's ids derived from each plugin's slug, so that the same plugin has the
-- same id in every database.
--
-- The catalogue is global: an organization export leaves it out, and its installations name
-- plugins by id. 0014 gave the catalogue random ids, different in each database, so an export
-- could never be imported elsewhere. Now id = md5('financbase.plugins/' || slug)::uuid, kept so
-- by a CHECK (a plugin added later gives that id, or the insert fails), and installations
-- follow an id that changes (ON UPDATE CASCADE: referential actions bypass row-level security,
-- so every organization's installations follow, though this migration reads none of them).

ALTER TABLE financbase.plugin_installations
    DROP CONSTRAINT plugin_installations_plugin_id_fkey,
    ADD CONSTRAINT plugin_installations_plugin_id_fkey FOREIGN KEY (plugin_id)
        REFERENCES financbase.plugins (id) ON UPDATE CASCADE;

UPDATE financbase.plugins SET id = md5('financbase.plugins/' || slug)::uuid;

ALTER TABLE financbase.plugins
    ALTER COLUMN id DROP DEFAULT,
    ADD CONSTRAINT plugins_id_from_slug CHECK (id = md5('financbase.plugins/' || slug)::uuid);
