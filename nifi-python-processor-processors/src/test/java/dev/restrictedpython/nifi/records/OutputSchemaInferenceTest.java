package dev.restrictedpython.nifi.records;

import org.apache.nifi.serialization.record.DataType;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;
import org.apache.nifi.serialization.record.type.ArrayDataType;
import org.apache.nifi.serialization.record.type.ChoiceDataType;
import org.apache.nifi.serialization.record.type.DecimalDataType;
import org.apache.nifi.serialization.record.type.RecordDataType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.restrictedpython.nifi.records.RecordValuesToPlainTest.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputSchemaInferenceTest {

    @Test
    void everyPlainTypeHasItsFieldType() {
        final RecordSchema schema = OutputSchemas.infer(List.of(values(
                "l", 1L, "big", BigInteger.TWO.pow(64), "f", 0.5d, "s", "x", "b", false, "d", new BigDecimal("123.45"),
                "day", LocalDate.EPOCH, "t", LocalTime.NOON, "ts", Instant.EPOCH, "raw", new byte[]{1},
                "list", List.of("a"), "obj", values("k", 1L), "none", null)));

        assertEquals("l:LONG big:BIGINT f:DOUBLE s:STRING b:BOOLEAN d:DECIMAL[5,2] day:DATE t:TIME ts:TIMESTAMP raw:ARRAY[BYTE] "
                + "list:ARRAY[STRING] obj:RECORD none:STRING", describe(schema));
        assertEquals(RecordFieldType.LONG, childSchema(schema, "obj").getDataType("k").orElseThrow().getFieldType());
        assertTrue(schema.getFields().stream().allMatch(RecordField::isNullable));
    }

    @Test
    void fieldOnlyInALaterItemIsAddedInOrderOfFirstAppearance() {
        final RecordSchema schema = OutputSchemas.infer(List.of(values("a", 1L, "b", "x"), values("c", true, "a", 2L), values("d", 1.5d)));

        assertEquals("a:LONG b:STRING c:BOOLEAN d:DOUBLE", describe(schema));
    }

    @Test
    void numericWidening() {
        final RecordSchema schema = OutputSchemas.infer(List.of(
                values("ld", 1L, "lb", 1L, "ldec", 12345L, "decs", new BigDecimal("1.5"), "bd", BigInteger.TEN.pow(20)),
                values("ld", 2.5d, "lb", BigInteger.TEN.pow(25), "ldec", new BigDecimal("0.25"), "decs", new BigDecimal("-123.456"),
                        "bd", new BigDecimal("0.1"))));

        // DECIMAL keeps room for the widest integer part and the widest fraction seen
        assertEquals("ld:DOUBLE lb:BIGINT ldec:DECIMAL[7,2] decs:DECIMAL[6,3] bd:DECIMAL[22,1]", describe(schema));
        assertEquals("e:DECIMAL[1000000000,0]", describe(OutputSchemas.infer(List.of(values("e", new BigDecimal("1E+999999999"))))));
    }

    @Test
    void differingTypesBecomeAChoiceInOrderOfAppearance() {
        final RecordSchema schema = OutputSchemas.infer(List.of(values("v", "a"), values("v", 1L), values("v", 2.5d), values("v", "b"),
                values("w", BigInteger.TWO.pow(80)), values("w", 1.0d)));

        final ChoiceDataType v = assertInstanceOf(ChoiceDataType.class, schema.getDataType("v").orElseThrow());
        // LONG widened to DOUBLE inside the choice
        assertEquals(List.of(RecordFieldType.STRING.getDataType(), RecordFieldType.DOUBLE.getDataType()), v.getPossibleSubTypes());
        // BIGINT + DOUBLE is not widened: a double cannot hold such integers exactly
        assertEquals("CHOICE[BIGINT, DOUBLE]", describe(schema.getDataType("w").orElseThrow()));
    }

    @Test
    void nestedRecordsWithDifferentKeysAreMerged() {
        final RecordSchema schema = OutputSchemas.infer(List.of(
                values("obj", values("a", 1L, "inner", values("x", "s"))),
                values("obj", values("b", true, "a", 2.0d, "inner", values("y", LocalDate.EPOCH)))));

        final RecordSchema obj = childSchema(schema, "obj");
        assertEquals("a:DOUBLE inner:RECORD b:BOOLEAN", describe(obj));
        assertEquals("x:STRING y:DATE", describe(childSchema(obj, "inner")));
    }

    @Test
    void nullOnlyFieldIsString() {
        final RecordSchema schema = OutputSchemas.infer(List.of(values("n", null), values("n", null, "m", List.of())));

        assertEquals("n:STRING m:ARRAY[STRING]", describe(schema));
    }

    @Test
    void nullsDoNotDisturbTheTypeOfOtherItems() {
        final RecordSchema schema = OutputSchemas.infer(List.of(values("n", null), values("n", 5L), values("n", null)));

        assertEquals("n:LONG", describe(schema));
    }

    @Test
    void listElementsAreMergedOverAllElementsAndItems() {
        final RecordSchema schema = OutputSchemas.infer(List.of(
                values("nums", Arrays.asList(1L, null, 2.5d), "objs", List.of(values("a", 1L)), "mixed", List.of(1L)),
                values("nums", List.of(), "objs", List.of(values("b", "x")), "mixed", List.of("s"))));

        assertEquals("nums:ARRAY[DOUBLE] objs:ARRAY[RECORD] mixed:ARRAY[CHOICE[LONG, STRING]]", describe(schema));
        final ArrayDataType objs = (ArrayDataType) schema.getDataType("objs").orElseThrow();
        assertEquals("a:LONG b:STRING", describe(((RecordDataType) objs.getElementType()).getChildSchema()));
    }

    @Test
    void builderInfersIncrementallyLikeInfer() {
        final List<Map<String, Object>> items = List.of(values("a", 1L), values("a", 1.5d, "b", List.of(values("c", "x"))), values("b", null));
        final OutputSchemaBuilder builder = new OutputSchemaBuilder();

        assertEquals("", describe(builder.build()));
        items.forEach(builder::add);

        assertEquals(OutputSchemas.infer(items), builder.build());
        assertEquals("a:DOUBLE b:ARRAY[RECORD]", describe(builder.build()));
    }

    @Test
    void keysInAnyOrderMissingOrNewMergeByName() {
        // the builder first compares a key with the one after the last key seen: reordered, missing and new keys,
        // and keys equal to earlier ones without being the same String, must still merge by name
        final OutputSchemaBuilder builder = new OutputSchemaBuilder()
                .add(values("a", 1L, "b", "x", "c", true))
                .add(values(new String("a"), 2L, new String("b"), "y", new String("c"), false))
                .add(values(new String("c"), null, new String("a"), BigInteger.TWO.pow(70)))
                .add(values("b", 3L, "d", LocalDate.EPOCH))
                .add(values("a", 1L, "d", null, "b", "z"))
                .add(values("d", LocalDate.EPOCH, "c", true, "b", "w", "a", 5L));

        assertEquals("a:BIGINT b:CHOICE[STRING, LONG] c:BOOLEAN d:DATE", describe(builder.build()));
    }

    @Test
    void inferredSchemaAcceptsEveryItem() {
        final List<Map<String, Object>> items = List.of(values("v", "a", "n", 1L), values("v", 2L, "n", new BigDecimal("2.75")),
                values("v", values("k", 1L)));
        final RecordSchema schema = OutputSchemas.infer(items);

        for (int i = 0; i < items.size(); i++) {
            final Map<String, Object> back = RecordValues.toPlain(RecordValues.toRecord(items.get(i), schema, i));
            assertEquals(items.get(i).get("v"), back.get("v"));
        }
        assertEquals(new BigDecimal("1"), RecordValues.toPlain(RecordValues.toRecord(items.get(0), schema, 0)).get("n"));
    }

    /** "name:TYPE" per field, nested types by their field type only, to compare whole schemas in one assertion. */
    private static String describe(final RecordSchema schema) {
        final List<String> parts = new ArrayList<>();
        for (final RecordField field : schema.getFields()) {
            parts.add(field.getFieldName() + ":" + describe(field.getDataType()));
        }
        return String.join(" ", parts);
    }

    private static String describe(final DataType type) {
        return switch (type) {
            case ArrayDataType array -> "ARRAY[" + describe(array.getElementType()) + "]";
            case ChoiceDataType choice -> "CHOICE" + choice.getPossibleSubTypes().stream().map(OutputSchemaInferenceTest::describe).toList();
            case RecordDataType ignored -> "RECORD";
            case DecimalDataType decimal -> decimal.toString();
            default -> type.getFieldType().name();
        };
    }

    private static RecordSchema childSchema(final RecordSchema schema, final String field) {
        return ((RecordDataType) schema.getDataType(field).orElseThrow()).getChildSchema();
    }
}
