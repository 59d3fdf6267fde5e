package dev.arcana.engine.diff;

/** JSON Pointer (RFC 6901) construction. */
public final class JsonPointers {

    private JsonPointers() {
    }

    /**
     * Escapes one reference token: "~" becomes "~0", then "/" becomes "~1". The order matters:
     * the other way round, "/" would turn into "~1" and then into "~01".
     */
    public static String escape(String token) {
        if (token.indexOf('~') < 0 && token.indexOf('/') < 0) {
            return token; // the common case: column names need no escaping, and no copy
        }
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** The pointer to a top-level field of an object: "/" + escaped name. */
    public static String field(String name) {
        return "/" + escape(name);
    }

    /** The pointer to an array element: "/" + index (never "/-", so that every op is explicit). */
    public static String index(int index) {
        return "/" + index;
    }
}
