package dev.restrictedpython.nifi.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** deepdiff 6.3.1 from a statement. */
class ThirdPartyDeepDiffTest {

    @Test
    void diffSearchAndHash() throws Exception {
        Map<String, Object> item = ThirdPartyTestSupport.runOne("""
                from deepdiff import DeepDiff, DeepSearch, DeepHash
                before = {"name": "a", "tags": ["x", "y"], "n": 1, "gone": True}
                after = {"name": "b", "tags": ["x", "y", "z"], "n": 1.0, "new": None}
                diff = DeepDiff(before, after)
                loose = DeepDiff(before, after, ignore_numeric_type_changes=True)
                found = DeepSearch({"a": {"b": "needle"}, "c": ["hay", "needle"]}, "needle")
                hashes = DeepHash("abc")
                return [{
                    "changed": diff["values_changed"]["root['name']"]["new_value"],
                    "added_items": sorted(diff["iterable_item_added"].keys()),
                    "added_keys": sorted(diff["dictionary_item_added"]),
                    "removed_keys": sorted(diff["dictionary_item_removed"]),
                    "type_changes": sorted(diff.get("type_changes", {}).keys()),
                    "loose_type_changes": sorted(loose.get("type_changes", {}).keys()),
                    "found": sorted(found["matched_values"]),
                    "json": DeepDiff([1, 2], [1, 3]).to_json(),
                    "hash_is_str": isinstance(hashes["abc"], str),
                }]
                """);
        assertEquals("b", item.get("changed"));
        assertEquals(List.of("root['tags'][2]"), item.get("added_items"));
        assertEquals(List.of("root['new']"), item.get("added_keys"));
        assertEquals(List.of("root['gone']"), item.get("removed_keys"));
        assertEquals(List.of("root['n']"), item.get("type_changes"));
        assertEquals(List.of(), item.get("loose_type_changes"));
        assertEquals(List.of("root['a']['b']", "root['c'][1]"), item.get("found"));
        assertEquals("{\"values_changed\": {\"root[1]\": {\"new_value\": 3, \"old_value\": 2}}}", item.get("json"));
        assertEquals(true, item.get("hash_is_str"));
    }
}
