package dev.restrictedpython.nifi.runtime;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PyYAML 6.0.1 (pure Python: no libyaml in the sandbox) from a statement. */
class ThirdPartyYamlTest {

    @Test
    void safeLoadDumpAndSafeDump() throws Exception {
        Map<String, Object> item = ThirdPartyTestSupport.runOne("""
                import yaml
                doc = yaml.safe_load("name: demo\\nitems: [1, 2.5, true, null]\\nnested: {a: b}\\nwhen: 2024-02-29\\n")
                return [{
                    "name": doc["name"],
                    "items": doc["items"],
                    "nested": doc["nested"]["a"],
                    "when": doc["when"],
                    "dump": yaml.dump({"b": [1, 2], "a": "x"}, sort_keys=True),
                    "safe_dump": yaml.safe_dump({"k": "v", "n": 3}, default_flow_style=True),
                    "all": yaml.safe_load_all("a: 1\\n---\\na: 2\\n") and [d["a"] for d in yaml.safe_load_all("a: 1\\n---\\na: 2\\n")],
                    "plain_python_tag": list(yaml.full_load("!!python/tuple [1, 2]")),
                }]
                """);
        assertEquals("demo", item.get("name"));
        assertEquals(java.util.Arrays.asList(1L, 2.5, true, null), item.get("items"));
        assertEquals("b", item.get("nested"));
        assertEquals(LocalDate.of(2024, 2, 29), item.get("when"));
        assertEquals("a: x\nb:\n- 1\n- 2\n", item.get("dump"));
        assertEquals("{k: v, n: 3}\n", item.get("safe_dump"));
        assertEquals(List.of(1L, 2L), item.get("all"));
        assertEquals(List.of(1L, 2L), item.get("plain_python_tag"));
    }

    @Test
    void pythonObjectTagsAreRefusedByEveryLoader() throws Exception {
        // time.sleep(5) would show as elapsed time; os.system would need a process (the sandbox has none anyway).
        Map<String, Object> item = ThirdPartyTestSupport.runOne("""
                import yaml, time
                documents = {
                    "apply": "!!python/object/apply:time.sleep [5]",
                    "apply_os": "!!python/object/apply:os.system ['echo pwned']",
                    "new": "!!python/object/new:time.struct_time [[2000, 1, 1, 0, 0, 0, 0, 1, 0]]",
                    "object": "!!python/object:yaml.YAMLObject {}",
                    "name": "!!python/name:os.system",
                    "module": "!!python/module:os",
                }
                loads = {
                    "safe_load": yaml.safe_load,
                    "load_safe": lambda text: yaml.load(text, Loader=yaml.SafeLoader),
                    "load_full": lambda text: yaml.load(text, Loader=yaml.FullLoader),
                    "full_load": yaml.full_load,
                    "load_unsafe": lambda text: yaml.load(text, Loader=yaml.UnsafeLoader),
                    "load_loader": lambda text: yaml.load(text, Loader=yaml.Loader),
                    "unsafe_load": yaml.unsafe_load,
                }
                results = {}
                start = time.monotonic()
                for document_name, text in documents.items():
                    for load_name, load in loads.items():
                        try:
                            results[load_name + "/" + document_name] = "loaded %r" % (load(text),)
                        except yaml.YAMLError as error:
                            results[load_name + "/" + document_name] = type(error).__name__
                results["elapsed"] = time.monotonic() - start
                return [results]
                """);
        double elapsed = (Double) item.remove("elapsed");
        assertTrue(elapsed < 5.0, "nothing slept: " + elapsed);
        assertEquals(42, item.size());
        for (Map.Entry<String, Object> entry : item.entrySet()) {
            assertEquals("ConstructorError", entry.getValue(), entry.getKey());
        }
    }
}
