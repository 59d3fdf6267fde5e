package dev.arcana.arquillian.app;

import dev.arcana.api.Arcana;
import dev.arcana.api.Change;
import dev.arcana.api.Identity;
import dev.arcana.api.Snapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.Map;

/** An application bean that uses the engine through {@code @Inject Arcana}, as application code would. */
@ApplicationScoped
public class ItemService {

    @Inject
    Arcana arcana;

    public Snapshot items(Identity identity) {
        return arcana.subscribe(identity, TestGraphs.ITEMS, Map.of());
    }

    /** Renames an item with plain SQL, then tells the engine (explicit change detection). */
    public void rename(String id, String name) throws SQLException {
        ArquillianDatabase.execute("update items set name = '" + name.replace("'", "''") + "' where id = '"
                + id.replace("'", "''") + "'");
        arcana.notify(Change.update("items", id, ArquillianDatabase.WORKSPACE, "name"));
    }
}
