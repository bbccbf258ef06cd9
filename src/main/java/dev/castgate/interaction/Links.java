package dev.castgate.interaction;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** Links between our own pages, carrying parameters in the query. */
public final class Links {
    private Links() {}

    public static String withQuery(String path, Map<String, String> params) {
        if (params.isEmpty()) return path;
        return path + "?" + params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
