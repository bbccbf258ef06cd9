package dev.castgate.interaction;

import dev.castgate.http.QueryStrings;
import java.util.Map;

/** Links between our own pages, carrying parameters in the query. */
public final class Links {
    private Links() {}

    public static String withQuery(String path, Map<String, String> params) { return QueryStrings.appendTo(path, params); }
}
