package dev.restrictedpython.nifi.records;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compact binary form of plain values (the vocabulary of {@link RecordValues}), for items that wait on disk
 * while the output schema is inferred. Several times faster than Java serialization, and it repeats no class
 * descriptors: map keys are written once per stream and then by number.
 */
public final class PlainValueStream {

    private static final int NULL = 0;
    private static final int STRING = 1;
    private static final int LONG = 2;
    private static final int DOUBLE = 3;
    private static final int TRUE = 4;
    private static final int FALSE = 5;
    private static final int BIG_INTEGER = 6;
    private static final int DECIMAL = 7;
    private static final int DATE = 8;
    private static final int TIME = 9;
    private static final int INSTANT = 10;
    private static final int BYTES = 11;
    private static final int LIST = 12;
    private static final int MAP = 13;
    private static final int OTHER = 14;

    /** Past this many distinct keys, keys are written in full every time (maps with data for keys). */
    private static final int MAX_KEYS = 1 << 16;

    private PlainValueStream() {
    }

    /** Writes items (maps of plain values). Not thread-safe. */
    public static final class Writer implements AutoCloseable {
        private final DataOutputStream out;
        private final Map<String, Integer> keys = new HashMap<>();

        public Writer(OutputStream out) {
            this.out = new DataOutputStream(out);
        }

        public void writeItem(Map<String, ?> item) throws IOException {
            writeMap(item);
        }

        private void writeMap(Map<?, ?> map) throws IOException {
            out.writeInt(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                writeKey(String.valueOf(entry.getKey()));
                write(entry.getValue());
            }
        }

        private void writeKey(String key) throws IOException {
            Integer known = keys.get(key);
            if (known != null) {
                out.writeInt(known);
                return;
            }
            if (keys.size() < MAX_KEYS) {
                // a new key: -1, then the text; from now on its number
                keys.put(key, keys.size());
                out.writeInt(-1);
            } else {
                out.writeInt(-2);
            }
            writeText(key);
        }

        private void writeText(String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }

        private void write(Object value) throws IOException {
            switch (value) {
                case null -> out.writeByte(NULL);
                case String s -> {
                    out.writeByte(STRING);
                    writeText(s);
                }
                case Long l -> {
                    out.writeByte(LONG);
                    out.writeLong(l);
                }
                case Double d -> {
                    out.writeByte(DOUBLE);
                    out.writeDouble(d);
                }
                case Boolean b -> out.writeByte(b ? TRUE : FALSE);
                case BigInteger big -> {
                    out.writeByte(BIG_INTEGER);
                    writeText(big.toString());
                }
                case BigDecimal decimal -> {
                    out.writeByte(DECIMAL);
                    writeText(decimal.toString());
                }
                case LocalDate date -> {
                    out.writeByte(DATE);
                    out.writeLong(date.toEpochDay());
                }
                case LocalTime time -> {
                    out.writeByte(TIME);
                    out.writeLong(time.toNanoOfDay());
                }
                case Instant instant -> {
                    out.writeByte(INSTANT);
                    out.writeLong(instant.getEpochSecond());
                    out.writeInt(instant.getNano());
                }
                case byte[] bytes -> {
                    out.writeByte(BYTES);
                    out.writeInt(bytes.length);
                    out.write(bytes);
                }
                case List<?> list -> {
                    out.writeByte(LIST);
                    out.writeInt(list.size());
                    for (Object element : list) {
                        write(element);
                    }
                }
                case Map<?, ?> map -> {
                    out.writeByte(MAP);
                    writeMap(map);
                }
                case Integer i -> {
                    out.writeByte(LONG);
                    out.writeLong(i);
                }
                case Number n when n instanceof Short || n instanceof Byte -> {
                    out.writeByte(LONG);
                    out.writeLong(n.longValue());
                }
                case Float f -> {
                    out.writeByte(DOUBLE);
                    out.writeDouble(f);
                }
                default -> {
                    out.writeByte(OTHER);
                    writeText(value.toString());
                }
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Reads back what a {@link Writer} wrote, item by item. */
    public static final class Reader implements AutoCloseable {
        private final DataInputStream in;
        private final List<String> keys = new ArrayList<>();
        private String[] fieldKeys = new String[16];
        private Object[] fieldValues = new Object[16];

        public Reader(InputStream in) {
            this.in = new DataInputStream(in);
        }

        /** The next item (a LinkedHashMap in the order written). */
        public Map<String, Object> readItem() throws IOException {
            return readMap();
        }

        /**
         * The next item into {@link #keys()} and {@link #values()} instead of a map (for a reader that needs none):
         * returns its number of fields, the arrays' first elements. The arrays are the reader's, overwritten by the
         * next item; a key is the same {@code String} each time it is read.
         */
        public int readFields() throws IOException {
            int size = in.readInt();
            if (size < 0) {
                throw new EOFException("corrupt item stream");
            }
            if (fieldKeys.length < size) {
                fieldKeys = new String[size];
                fieldValues = new Object[size];
            }
            for (int i = 0; i < size; i++) {
                fieldKeys[i] = readKey();
                fieldValues[i] = read();
            }
            return size;
        }

        public String[] keys() {
            return fieldKeys;
        }

        public Object[] values() {
            return fieldValues;
        }

        private Map<String, Object> readMap() throws IOException {
            int size = in.readInt();
            if (size < 0) {
                throw new EOFException("corrupt item stream");
            }
            Map<String, Object> map = new LinkedHashMap<>((int) (size / 0.75f + 1));
            for (int i = 0; i < size; i++) {
                String key = readKey();
                map.put(key, read());
            }
            return map;
        }

        private String readKey() throws IOException {
            int number = in.readInt();
            if (number >= 0) {
                return keys.get(number);
            }
            String key = readText();
            if (number == -1) {
                keys.add(key);
            }
            return key;
        }

        private String readText() throws IOException {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        private Object read() throws IOException {
            int type = in.readUnsignedByte();
            return switch (type) {
                case NULL -> null;
                case STRING, OTHER -> readText();
                case LONG -> in.readLong();
                case DOUBLE -> in.readDouble();
                case TRUE -> Boolean.TRUE;
                case FALSE -> Boolean.FALSE;
                case BIG_INTEGER -> new BigInteger(readText());
                case DECIMAL -> new BigDecimal(readText());
                case DATE -> LocalDate.ofEpochDay(in.readLong());
                case TIME -> LocalTime.ofNanoOfDay(in.readLong());
                case INSTANT -> Instant.ofEpochSecond(in.readLong(), in.readInt());
                case BYTES -> {
                    byte[] bytes = new byte[in.readInt()];
                    in.readFully(bytes);
                    yield bytes;
                }
                case LIST -> {
                    int size = in.readInt();
                    List<Object> list = new ArrayList<>(size);
                    for (int i = 0; i < size; i++) {
                        list.add(read());
                    }
                    yield list;
                }
                case MAP -> readMap();
                default -> throw new IOException("corrupt item stream: type " + type);
            };
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
