package dev.restrictedpython.nifi.runtime;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * restricted_syntax stands in for the standard library's {@code ast} in the dialect and the host glue (it spares
 * every context ast's imports): on the same statements it must parse, walk, locate and transform as ast does.
 */
class RestrictedSyntaxTest {

    private static Context context;
    private static Value compare;

    @BeforeAll
    static void setUp() throws IOException {
        context = PythonSandbox.newContext(false, OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
        PythonStatement.loadGlue(context);
        String check;
        try (InputStream in = RestrictedSyntaxTest.class.getResourceAsStream("restricted_syntax_check.py")) {
            check = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        compare = context.eval(Source.newBuilder(PythonSandbox.LANGUAGE, check, "restricted_syntax_check.py")
                .buildLiteral());
    }

    @AfterAll
    static void tearDown() {
        context.close(true);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "return [dict(r, total=r['a'] * r['b']) for r in INPUT_DATA if r['a'] > 0]",
            "import json\nfrom datetime import date as d\nresult = []\nfor row in INPUT_DATA:\n    pass\n"
                    + "    result.append({'x': row.get('x', 0) ** 2, 's': f'{row!r:>10}'})\nreturn result",
            "async def f():\n    await sleep(1)\n    return [{}]\ntry:\n    x = lambda y, *a, k=1, **kw: y[1:2, ::3]\n"
                    + "except (ValueError, KeyError) as e:\n    log.warn(str(e))\nfinally:\n    pass\n"
                    + "match INPUT_DATA:\n    case [{'a': 1, **rest}, *others] if rest:\n        z = 1\n"
                    + "    case _:\n        z = 2\nreturn [{'z': z}]",
            "class C:\n    def m(self):\n        global G\n        with open('f') as h, open('g'):\n            yield h\n"
                    + "print(*[1], **{})\nx: int = 3\ndel x\nassert 1, 'm'\nwhile False:\n    break\nelse:\n"
                    + "    continue_ = {k: v for k, v in {}.items()}\n"
    })
    void behavesAsTheStandardAst(String statement) {
        assertEquals("[]", compare.execute(statement).toString(), "differences from ast for:\n" + statement);
    }
}
