package dev.castgate.store;

import dev.castgate.domain.Owned;
import java.util.Optional;

/** What the channel and video stores share: one found by id, its title and description changed, or deleted. */
public interface OwnedStore<T extends Owned> {
    Optional<T> find(String id);

    /** Changes title and description; false when it does not exist. */
    boolean update(String id, String title, String description);

    boolean delete(String id);
}
