package dev.castgate.store;

import dev.castgate.domain.Resource;
import java.util.List;

/** The resource servers an operator registered for resource indicators (RFC 8707). */
public interface ResourceStore {
    /** Stores a new resource; false when one with its URI exists already. */
    boolean insert(Resource resource);

    /** Every registered resource, by URI. */
    List<Resource> list();

    /** Deletes the resource; false if there is none with that URI. */
    boolean delete(String uri);
}
