package dev.restrictedpython.nifi.runtime;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How plain Java values cross into Python and back (the other half is {@code statement_host.py}).
 * Strings, whole numbers that fit a long, doubles, booleans and null cross as themselves; everything else as a
 * two-element array {@code [tag, payload]} that the host glue turns into the Python type.
 *
 * <p>Records go in by batch, as one flat array: per record a shape id, then its values in field order. A shape
 * ({@link Shapes}) is a list of field names plus, per field, whether its value is plain, null (not sent) or tagged;
 * Python compiles one small function per shape that builds the dict in one expression, so a record costs one
 * dict display and no per-field dispatch. A record directly inside a shaped record is written inline, in the same
 * stream (its shape id, then its values), and its shape becomes part of its parent's, so that the parent's one
 * expression builds it too; a record in a list, or in a record that could not be shaped field by field, is shaped
 * as one array {@code ["S", shape id, values...]}. The strings of the stream's shaped records are not in it:
 * they are appended to the chunk's text, and their slot holds where Python slices them from it
 * ({@link #CHUNK_TEXT_CHARS}). Returned items come back appended to a host list
 * (see {@link #decodeItems}), so that Java reads Java objects and never walks guest values through the polyglot
 * API.</p>
 */
final class WireFormat {

    private static final Instant EPOCH = Instant.EPOCH;

    /** Per-field kinds of a shape, as the Python side reads them. */
    private static final char GENERIC = 'G';
    private static final char PLAIN = 'P';
    private static final char NULL = 'N';
    private static final char TAGGED = 'T';
    private static final char INLINE = 'S';
    private static final char TEXT = 'X';

    /** Fields a shape can describe field by field; records with more are sent with generic fields. */
    private static final int MAX_SHAPED_FIELDS = 24;

    /** Shapes one context learns field by field; beyond that, new combinations are sent with generic fields (and
     *  past four times as many, from any cause, the table starts again). Python compiles a function per shape,
     *  ~250 KB of allocation and about a millisecond each (measured: 4,096 of them in one run went past the default
     *  Memory Limit of 1 GB), so records with many null patterns must not each get one. */
    static final int MAX_SHAPES = 256;

    /** Nesting levels whose records are shaped (the batch's records are level 0); deeper ones cross as "R" pairs. */
    private static final int MAX_SHAPED_DEPTH = 8;

    /** The tag of a shaped nested record: {@code ["S", shape id, values...]}. */
    private static final String SHAPED_RECORD = "S";

    /** Field lists remembered by where they occur (nesting level, field of the parent), one each: records of a
     *  FlowFile mostly repeat their neighbours' names, and a hit costs no lookup and no copy. */
    private static final int NAMES_CACHE_SLOTS = 64;

    private WireFormat() {
    }

    /**
     * Slots per chunk of a batch's stream and of a run's output list: small enough never to be one of G1's
     * humongous objects. One array per FlowFile was (measured, 100,000-record bulk runs: each doubling was a
     * humongous allocation that started a concurrent cycle, and the heap swung between 1.4 and 3.7 GB).
     */
    static final int CHUNK_SLOTS = 16_384;

    /**
     * A chunk's strings are sent as one string (its slot 0) that Python slices: a string sent on its own stays in
     * Python as a Java String, two TruffleStrings and their bytes (four objects, measured), a slice as one
     * TruffleString and its bytes, so a bulk run's records hold fewer objects for G1 to copy (heap histogram of the
     * bench's records: 800,000 fewer per 100k). A chunk closes once its text passes this many characters (kept
     * below G1's humongous size).
     */
    static final int CHUNK_TEXT_CHARS = 1 << 18;

    /**
     * A batch of records ready for {@code run_rows}/{@code run_bulk}: the stream in chunks (chunk {@code i} holds
     * {@code ends[i]} slots, no record spans two; slot 0 is its text), and the shapes Python has to learn first.
     * Python empties {@code chunks} as it decodes them, so a bulk run does not keep the whole FlowFile encoded as
     * well as decoded.
     */
    record Batch(Object[][] chunks, int[] ends, Object[] newShapes, int[] newShapeIds, boolean reset) {
    }

    /**
     * The record shapes one context knows, by id. Not thread-safe: it belongs to one {@link PythonStatement}.
     * A shape counts as known once a call that declared it returned; a call that was interrupted before Python
     * stored it declares it again next time (declaring is idempotent).
     */
    static final class Shapes {
        private final Map<List<String>, Integer> nameIds = new HashMap<>();
        private final Map<Object, Integer> ids = new HashMap<>();
        private final List<Object[]> specs = new ArrayList<>();
        private final BitSet known = new BitSet();
        private final String[][] cachedNames = new String[NAMES_CACHE_SLOTS][];
        private final int[] cachedNamesIds = new int[NAMES_CACHE_SLOTS];

        Batch batch(List<? extends Map<String, ?>> records) {
            int size = 0;
            for (Map<String, ?> record : records) {
                size += record.size() + 1;
            }
            BatchBuilder builder = new BatchBuilder(Math.min(size, CHUNK_SLOTS));
            for (Map<String, ?> record : records) {
                builder.add(record);
            }
            return builder.build();
        }

        /** A batch built record by record, so that a caller need not hold every record as a map meanwhile. */
        BatchBuilder builder() {
            return new BatchBuilder(1024);
        }

        final class BatchBuilder {
            private final List<Object[]> chunks = new ArrayList<>();
            private final List<Integer> ends = new ArrayList<>();
            private Object[] stream;
            private int position;
            private final boolean reset;
            private final BitSet declared = new BitSet();
            private final List<Object> newShapes = new ArrayList<>();
            private final List<Integer> newIds = new ArrayList<>();
            /** The field names of the record being written at each nesting level. */
            private final String[][] names = new String[MAX_SHAPED_DEPTH][];
            /** The current chunk's strings so far, and their length in code points (as Python slices). */
            private final StringBuilder text = new StringBuilder();
            private int textCodePoints;
            /** The shape ids of the inline records of the record being written at each nesting level, by field. */
            private final int[][] inlineIds = new int[MAX_SHAPED_DEPTH][];

            private BatchBuilder(int capacity) {
                reset = specs.size() >= MAX_SHAPES * 4;
                if (reset) {
                    nameIds.clear();
                    ids.clear();
                    specs.clear();
                    known.clear();
                    Arrays.fill(cachedNames, null);
                }
                stream = new Object[capacity + 1];
                position = 1;
            }

            void add(Map<String, ?> record) {
                int slots = slots(record, 0);
                if (stream.length < position + slots || text.length() > CHUNK_TEXT_CHARS) {
                    nextChunk(slots);
                }
                position = write(record, stream, position, 0, 0);
            }

            /** At least the slots {@code record} takes in the stream: its id, its values, its inline records'. */
            private static int slots(Map<?, ?> record, int depth) {
                int slots = record.size() + 1;
                if (depth + 1 < MAX_SHAPED_DEPTH) {
                    for (Object value : record.values()) {
                        if (value instanceof Map<?, ?> inner) {
                            slots += slots(inner, depth + 1);
                        }
                    }
                }
                return slots;
            }

            /**
             * Writes {@code record} into {@code target} from {@code slot}: its shape id, then its values (nulls
             * left out when the shape says so). {@code depth} is its nesting level, {@code field} its field in the
             * parent. Returns the slot after its last value.
             */
            private int write(Map<?, ?> record, Object[] target, int slot, int depth, int field) {
                if (record.size() <= MAX_SHAPED_FIELDS) {
                    int textLength = text.length();
                    int textEnd = textCodePoints;
                    int next = write(record, target, slot, depth, field, true);
                    if (next >= 0) {
                        return next;
                    }
                    // too many shapes for a new one: written again with a generic shape, its strings on their own
                    text.setLength(textLength);
                    textCodePoints = textEnd;
                }
                return write(record, target, slot, depth, field, false);
            }

            /**
             * As above: {@code shaped}, with nulls left out and records inside written inline (down to
             * {@link #MAX_SHAPED_DEPTH}), or -1 when the shape is new and the table full; else with a generic shape
             * (every field one slot, records inside as arrays).
             */
            private int write(Map<?, ?> record, Object[] target, int slot, int depth, int field, boolean shaped) {
                int fields = record.size();
                String[] fieldNames = names[depth];
                if (fieldNames == null || fieldNames.length < fields) {
                    fieldNames = new String[Math.max(fields, 8)];
                    names[depth] = fieldNames;
                }
                boolean inline = shaped && depth + 1 < MAX_SHAPED_DEPTH;
                int next = slot + 1;
                long kinds = 0;
                int texts = 0;
                int[] inner = null;
                int index = 0;
                for (Map.Entry<?, ?> entry : record.entrySet()) {
                    fieldNames[index] = String.valueOf(entry.getKey());
                    Object value = entry.getValue();
                    long kind;
                    if (value == null) {
                        kind = 2;
                        if (!shaped) {
                            target[next++] = null;
                        }
                    } else if (inline && value instanceof Map<?, ?> map) {
                        int innerSlot = next;
                        next = write(map, target, innerSlot, depth + 1, index);
                        if (inner == null) {
                            inner = inlineIds(depth, fields);
                        }
                        inner[index] = (Integer) target[innerSlot];
                        kind = 0;
                    } else if (shaped && target == stream && value instanceof String string && inText(string)) {
                        target[next++] = textSlice(string);
                        texts |= 1 << index;
                        kind = 1;
                    } else {
                        Object encoded = encodeValue(value, depth, index);
                        target[next++] = encoded;
                        kind = encoded instanceof Object[] ? 3 : 1;
                    }
                    kinds |= kind << (2 * index);
                    index++;
                }
                int cacheSlot = namesCacheSlot(depth, field);
                int id = shaped ? shapeId(fieldNames, fields, kinds, texts, inner, cacheSlot)
                        : generic(namesId(fieldNames, fields, cacheSlot), fieldNames, fields);
                if (id < 0) {
                    return -1;
                }
                target[slot] = id;
                if (!known.get(id) && !declared.get(id)) {
                    declared.set(id);
                    newShapes.add(specs.get(id));
                    newIds.add(id);
                }
                return next;
            }

            /**
             * Whether {@code value} can go in the chunk's text: not when it ends with half a surrogate pair, which
             * would pair there with a next string that begins with the other half (it crosses on its own).
             */
            private static boolean inText(String value) {
                return value.isEmpty() || !Character.isHighSurrogate(value.charAt(value.length() - 1));
            }

            /**
             * Appends {@code value} to the chunk's text; returns where Python finds it: first code point in the high
             * half, end in the low half.
             */
            private Long textSlice(String value) {
                long start = textCodePoints;
                text.append(value);
                // Python counts code points, Java UTF-16 units: they differ by one per surrogate pair
                textCodePoints += value.codePointCount(0, value.length());
                return start << 32 | textCodePoints;
            }

            /** The buffer of inline shape ids for the record being written at {@code depth}, reset to -1. */
            private int[] inlineIds(int depth, int fields) {
                int[] ids = inlineIds[depth];
                if (ids == null || ids.length < fields) {
                    ids = new int[Math.max(fields, 8)];
                    inlineIds[depth] = ids;
                }
                Arrays.fill(ids, 0, fields, -1);
                return ids;
            }

            /** As {@link WireFormat#encode}, with records inside (directly or in lists) shaped down to
             *  {@link #MAX_SHAPED_DEPTH}. */
            private Object encodeValue(Object value, int depth, int field) {
                if (depth + 1 >= MAX_SHAPED_DEPTH) {
                    return encode(value);
                }
                if (value instanceof Map<?, ?> map) {
                    // room for its inline records too (an upper bound: trailing slots may stay empty)
                    Object[] shapedRecord = new Object[slots(map, depth + 1) + 1];
                    shapedRecord[0] = SHAPED_RECORD;
                    write(map, shapedRecord, 1, depth + 1, field);
                    return shapedRecord;
                }
                if (value instanceof List<?> list) {
                    Object[] elements = new Object[list.size()];
                    for (int i = 0; i < elements.length; i++) {
                        elements[i] = encodeValue(list.get(i), depth, field);
                    }
                    return tagged("L", elements);
                }
                return encode(value);
            }

            /** Closes the current chunk and starts one with room for at least {@code slots}. */
            private void nextChunk(int slots) {
                if (position > 1) {
                    closeChunk();
                }
                stream = new Object[Math.max(slots + 1, CHUNK_SLOTS)];
                position = 1;
            }

            private void closeChunk() {
                stream[0] = text.toString();
                text.setLength(0);
                textCodePoints = 0;
                chunks.add(stream);
                ends.add(position);
            }

            Batch build() {
                if (position > 1 || chunks.isEmpty()) {
                    closeChunk();
                }
                stream = null;
                // the batch becomes the chunks' only holder: Python drops each chunk once decoded (decode_batch)
                Object[][] handedOver = chunks.toArray(new Object[0][]);
                chunks.clear();
                return new Batch(handedOver, ends.stream().mapToInt(Integer::intValue).toArray(),
                        newShapes.toArray(), newIds.stream().mapToInt(Integer::intValue).toArray(), reset);
            }
        }

        /** Python stored the batch's new shapes. */
        void confirm(Batch batch) {
            for (int id : batch.newShapeIds()) {
                known.set(id);
            }
        }

        /**
         * The shape of a record written field by field: {@code kinds} has two bits per field (0 an inline record,
         * whose shape id is in {@code inline}, 1 plain, 2 null, 3 tagged), {@code texts} one, set for a plain
         * string sent in the chunk's text. -1 when the shape is new and the table
         * holds {@link #MAX_SHAPES} already (too many null patterns): the record is then written generic.
         */
        private int shapeId(String[] names, int fields, long kinds, int texts, int[] inline, int cacheSlot) {
            int namesId = namesId(names, fields, cacheSlot);
            Object key = inline == null && texts == 0 ? (Object) key(namesId, kinds)
                    : new ShapeKey(key(namesId, kinds), texts, inline == null ? null : Arrays.copyOf(inline, fields));
            Integer id = ids.get(key);
            if (id != null) {
                return id;
            }
            if (ids.size() >= MAX_SHAPES) {
                return -1;
            }
            char[] spec = new char[fields];
            List<Object> inlineShapes = new ArrayList<>();
            for (int i = 0; i < fields; i++) {
                spec[i] = switch ((int) (kinds >>> (2 * i)) & 3) {
                    case 0 -> INLINE;
                    case 1 -> (texts & 1 << i) != 0 ? TEXT : PLAIN;
                    case 2 -> NULL;
                    default -> TAGGED;
                };
                if (spec[i] == INLINE) {
                    inlineShapes.add(inline[i]);
                }
            }
            return declare(key, names, fields, new String(spec), inlineShapes.toArray());
        }

        /** The key of a shape with text fields or inline records (whose shapes are part of it). */
        private record ShapeKey(long fields, int texts, int[] inline) {
            @Override
            public boolean equals(Object other) {
                return other instanceof ShapeKey key && key.fields == fields && key.texts == texts
                        && Arrays.equals(key.inline, inline);
            }

            @Override
            public int hashCode() {
                return (Long.hashCode(fields) * 31 + texts) * 31 + Arrays.hashCode(inline);
            }
        }

        /** Generic shapes have bit 63 set in their key, so they never collide with field-by-field ones. */
        private int generic(int namesId, String[] names, int fields) {
            Long key = Long.MIN_VALUE | namesId;
            Integer id = ids.get(key);
            return id != null ? id : declare(key, names, fields, String.valueOf(GENERIC).repeat(fields), new Object[0]);
        }

        private static Long key(int namesId, long kinds) {
            // 24 fields of 2 bits = 48 bits of kinds; the names id above them
            return ((long) namesId << 48) ^ kinds;
        }

        private int declare(Object key, String[] names, int fields, String kinds, Object[] inlineShapes) {
            int id = specs.size();
            specs.add(new Object[] {id, Arrays.copyOf(names, fields, Object[].class), kinds, inlineShapes});
            ids.put(key, id);
            return id;
        }

        private static int namesCacheSlot(int depth, int field) {
            return depth == 0 ? 0 : (depth * 31 + field) & (NAMES_CACHE_SLOTS - 1);
        }

        private int namesId(String[] names, int fields, int cacheSlot) {
            String[] cached = cachedNames[cacheSlot];
            if (cached != null && sameNames(cached, names, fields)) {
                return cachedNamesIds[cacheSlot];
            }
            List<String> list = List.of(Arrays.copyOf(names, fields));
            Integer id = nameIds.get(list);
            if (id == null) {
                id = nameIds.size();
                nameIds.put(list, id);
            }
            cachedNames[cacheSlot] = Arrays.copyOf(names, fields);
            cachedNamesIds[cacheSlot] = id;
            return id;
        }

        private static boolean sameNames(String[] cached, String[] names, int fields) {
            if (cached.length != fields) {
                return false;
            }
            for (int i = 0; i < fields; i++) {
                String a = cached[i];
                String b = names[i];
                if (a != b && !a.equals(b)) {
                    return false;
                }
            }
            return true;
        }
    }

    static Object encode(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float floatValue) {
            return floatValue.doubleValue();
        }
        if (value instanceof BigInteger bigInteger) {
            return bigInteger.bitLength() < 64 ? (Object) bigInteger.longValue() : tagged("I", bigInteger.toString());
        }
        if (value instanceof BigDecimal decimal) {
            return tagged("D", decimal.toString());
        }
        if (value instanceof LocalDate date) {
            return tagged("d", date.toEpochDay());
        }
        if (value instanceof LocalTime time) {
            return tagged("t", time.toNanoOfDay() / 1000);
        }
        if (value instanceof Instant instant) {
            return tagged("T", ChronoUnit.MICROS.between(EPOCH, instant));
        }
        if (value instanceof byte[] bytes) {
            return tagged("B", bytes);
        }
        if (value instanceof Map<?, ?> map) {
            Object[] flat = new Object[map.size() * 2];
            int index = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                flat[index++] = String.valueOf(entry.getKey());
                flat[index++] = encode(entry.getValue());
            }
            return tagged("R", flat);
        }
        if (value instanceof List<?> list) {
            Object[] elements = new Object[list.size()];
            for (int i = 0; i < elements.length; i++) {
                elements[i] = encode(list.get(i));
            }
            return tagged("L", elements);
        }
        return value.toString();
    }

    private static Object[] tagged(String tag, Object payload) {
        return new Object[] {tag, payload};
    }

    /**
     * The items a run appended to its host list: per item the number of keys, then key and value pairs. Values are
     * Java objects already (String, Integer or Long, Double, Boolean, null), or a tagged pair {@code (tag, payload)}
     * that arrives as a {@link List}.
     */
    static List<Map<String, Object>> decodeItems(List<Object> flat) {
        List<Map<String, Object>> items = new ArrayList<>();
        decodeItems(flat, items::add, true);
        return items;
    }

    /**
     * The same, each item handed to {@code items} as soon as it is decoded; with {@code releaseAsRead}, a
     * {@link Sink} lets go of what was read (it cannot be read again).
     */
    static <E extends Exception> void decodeItems(List<Object> flat, PythonStatement.ItemConsumer<E> items,
                                                  boolean releaseAsRead) throws E {
        decodeFieldArrays(flat, (keys, values, fields) -> items.accept(itemOf(keys, values, fields)), releaseAsRead);
    }

    /** The item held in the first {@code fields} keys and values, as a map in their order. */
    static Map<String, Object> itemOf(String[] keys, Object[] values, int fields) {
        Map<String, Object> item = new LinkedHashMap<>(capacity(fields));
        for (int k = 0; k < fields; k++) {
            item.put(keys[k], values[k]);
        }
        return item;
    }

    /**
     * The same, each item handed over as its keys and values in two arrays that are reused for the next item, so
     * that a reader that needs no map (writing a record of a schema in the same order) builds none.
     */
    static <E extends Exception> void decodeFieldArrays(List<Object> flat, ReturnedItems.FieldArrayConsumer<E> items,
                                                        boolean releaseAsRead) throws E {
        int size = flat.size();
        int index = 0;
        String[] keys = new String[16];
        Object[] values = new Object[16];
        while (index < size) {
            int fields = ((Number) flat.get(index++)).intValue();
            if (keys.length < fields) {
                keys = new String[fields];
                values = new Object[fields];
            }
            for (int k = 0; k < fields; k++) {
                keys[k] = (String) flat.get(index++);
                values[k] = decode(flat.get(index++));
            }
            items.accept(keys, values, fields);
            if (releaseAsRead && flat instanceof Sink sink) {
                sink.releaseBefore(index);
            }
        }
    }

    /** Each field of each item of {@code flat} (as in {@link #decodeItems}), without building the items' maps. */
    static <E extends Exception> void decodeFields(List<Object> flat, ReturnedItems.FieldConsumer<E> fields) throws E {
        int size = flat.size();
        int index = 0;
        while (index < size) {
            int keys = ((Number) flat.get(index++)).intValue();
            for (int k = 0; k < keys; k++) {
                String key = (String) flat.get(index++);
                fields.accept(key, decode(flat.get(index++)));
            }
        }
    }

    private static int capacity(int entries) {
        return (int) (entries / 0.75f + 1);
    }

    static Object decode(Object value) {
        return switch (value) {
            case null -> null;
            case String string -> string;
            case Double number -> number;
            case Boolean bool -> bool;
            case Long number -> number;
            case Integer number -> number.longValue();
            case Short number -> number.longValue();
            case Byte number -> number.longValue();
            case Float number -> number.doubleValue();
            case BigInteger big -> big.bitLength() < 64 ? (Object) big.longValue() : big;
            case List<?> tagged -> decodeTagged((String) tagged.get(0), tagged.get(1));
            default -> throw new IllegalStateException("unexpected wire value " + value.getClass().getName());
        };
    }

    private static Object decodeTagged(String tag, Object payload) {
        return switch (tag) {
            case "R" -> decodeRecord((List<?>) payload);
            case "L" -> decodeList((List<?>) payload);
            case "D" -> new BigDecimal((String) payload);
            case "I" -> new BigInteger((String) payload);
            case "d" -> LocalDate.ofEpochDay(((Number) payload).longValue());
            case "t" -> LocalTime.ofNanoOfDay(((Number) payload).longValue() * 1000);
            case "T" -> EPOCH.plus(((Number) payload).longValue(), ChronoUnit.MICROS);
            case "B" -> decodeBytes((List<?>) payload);
            default -> throw new IllegalStateException("unknown wire tag " + tag);
        };
    }

    private static Map<String, Object> decodeRecord(List<?> flat) {
        // one bulk copy: each get() on a guest list is a call into the guest
        Object[] pairs = flat.toArray();
        Map<String, Object> record = new LinkedHashMap<>(capacity(pairs.length / 2));
        for (int index = 0; index < pairs.length; index += 2) {
            record.put((String) pairs[index], decode(pairs[index + 1]));
        }
        return record;
    }

    private static List<Object> decodeList(List<?> payload) {
        Object[] elements = payload.toArray();
        List<Object> list = new ArrayList<>(elements.length);
        for (Object element : elements) {
            list.add(decode(element));
        }
        return list;
    }

    private static byte[] decodeBytes(List<?> payload) {
        Object[] elements = payload.toArray();
        byte[] bytes = new byte[elements.length];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = ((Number) elements[i]).byteValue();
        }
        return bytes;
    }

    /**
     * The host list a run appends its items to (see {@code emit} in statement_host.py), in chunks of
     * {@link #CHUNK_SLOTS}: growing one array by doubling copied it, and past a few hundred thousand slots every
     * copy was a humongous allocation.
     */
    static final class Sink extends java.util.AbstractList<Object> {
        private final List<Object[]> chunks = new ArrayList<>();
        private final ReturnedItems.FieldConsumer<RuntimeException> fieldsAsAdded;
        private Object[] last;
        private int size;
        /** Where {@link #fieldsAsAdded} is in the stream: the fields the current item has left, and its key. */
        private int fieldsLeft;
        private String key;

        Sink() {
            this(null);
        }

        /** A sink that also hands each field to {@code fieldsAsAdded} as it arrives (null: none). */
        Sink(ReturnedItems.FieldConsumer<RuntimeException> fieldsAsAdded) {
            this.fieldsAsAdded = fieldsAsAdded;
        }

        @Override
        public boolean add(Object value) {
            int offset = size % CHUNK_SLOTS;
            if (offset == 0) {
                last = new Object[CHUNK_SLOTS];
                chunks.add(last);
            }
            last[offset] = value;
            size++;
            if (fieldsAsAdded != null) {
                observe(value);
            }
            return true;
        }

        /** Follows the stream of {@link #decodeItems}: a key count, then key and value pairs. */
        private void observe(Object value) {
            if (fieldsLeft == 0) {
                fieldsLeft = ((Number) value).intValue();
            } else if (key == null) {
                key = (String) value;
            } else {
                String field = key;
                key = null;
                fieldsLeft--;
                fieldsAsAdded.accept(field, decode(value));
            }
        }

        @Override
        public Object get(int index) {
            java.util.Objects.checkIndex(index, size);
            return chunks.get(index / CHUNK_SLOTS)[index % CHUNK_SLOTS];
        }

        @Override
        public int size() {
            return size;
        }

        /** Lets go of the chunks wholly before {@code index}: read once, they need not stay live while the rest is. */
        void releaseBefore(int index) {
            for (int chunk = index / CHUNK_SLOTS - 1; chunk >= 0 && chunks.get(chunk) != null; chunk--) {
                chunks.set(chunk, null);
            }
        }

        @Override
        public void clear() {
            chunks.clear();
            last = null;
            size = 0;
            fieldsLeft = 0;
            key = null;
        }
    }
}
