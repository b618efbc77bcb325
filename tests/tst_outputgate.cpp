#include "activitylog.h"
#include "appinfo.h"
#include "outputgate.h"
#include "secretcheck.h"

#include <QRandomGenerator>
#include <QTest>

// The output gate: what a person, a terminal or a file gets of text that came from outside. Keys are made at run
// time (no tracked literal looks like a real key) in every provider's shape.
class TestOutputGate final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { AppInfo::applyToApplication(); }
    void masksKnownShapes_data();
    void masksKnownShapes();
    void keyAcrossTheCutNeverLeaks_data();
    void keyAcrossTheCutNeverLeaks();
    void registeredSecretCutShortByTheServerIsMasked();
    void registeredSecretOfNoKnownShapeIsMasked();
    void controlAndBidiCharactersAreShown_data();
    void controlAndBidiCharactersAreShown();
    void invisibleCharactersAreShown_data();
    void invisibleCharactersAreShown();
    void statusWithASoftHyphenDoesNotReadAsTheStatus();
    void sizeNoteCountsTheOriginal_data();
    void sizeNoteCountsTheOriginal();
    void emptyTextStillCountsWhatWasNotGiven();
    void cutNeverSplitsAStandIn();
    void hugeTextIsCappedWithTheRestCounted();
    void capNeverSplitsACharacter();
    void shortCleanTextIsUnchanged();
    void cleaningTwiceChangesNothing();
    void maskKeyShowsOnlyTheTail();
    void logLinesPassTheGate();
    void logKeepsABoundedNumberOfLines();
};

namespace {
using SecretCheck::longestLeak;
using SecretCheck::randomChars;
const char* const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const char* const keyChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const char* const hex = "0123456789abcdef";

// The secret part of each provider's key shape (what must never be shown, but for its last four characters).
struct Shape
{
    const char* name;
    QString prefix; // public, the same for every key of the kind
    QString body;
};
QList<Shape> keyShapes()
{
    const auto withDigitAndLetter = [](QString s) {
        s[0] = u'a';
        s[1] = u'7';
        return s;
    };
    return {
        {"openai sk", QStringLiteral("sk-"), randomChars(48, keyChars)},
        {"openai project", QStringLiteral("sk-proj-"), randomChars(156, keyChars)},
        {"openai service account", QStringLiteral("sk-svcacct-"), randomChars(64, keyChars)},
        {"openai admin", QStringLiteral("sk-admin-"), randomChars(64, keyChars)},
        {"azure hex", QString(), withDigitAndLetter(randomChars(32, hex))},
        {"azure 84", QString(), withDigitAndLetter(randomChars(84, alnum))},
        {"together hex", QString(), withDigitAndLetter(randomChars(64, hex))},
        {"together tgp", QStringLiteral("tgp_v1_"), randomChars(43, keyChars)},
        {"anthropic", QStringLiteral("sk-ant-api03-"), randomChars(95, keyChars)},
        {"anthropic admin", QStringLiteral("sk-ant-admin01-"), randomChars(95, keyChars)},
        {"mistral", QString(), withDigitAndLetter(randomChars(32, alnum))},
    };
}

bool hasDangerousCharacter(const QString& text)
{
    return !SecretCheck::dangerousCharacterIn(text).isEmpty();
}
} // namespace

void TestOutputGate::masksKnownShapes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    const QString tail = QStringLiteral("WXYZ");
    const QString sk = QStringLiteral("sk-") + randomChars(40, alnum) + tail;
    QTest::newRow("sk key") << QStringLiteral("key %1 rejected").arg(sk) << "key sk-\u2026WXYZ rejected";
    QTest::newRow("project key") << QStringLiteral("sk-proj-") + randomChars(100, keyChars) + tail
                                 << "sk-proj-\u2026WXYZ";
    QTest::newRow("bearer header") << "Authorization: Bearer abc.def-ghi_jkl0987"
                                   << "Authorization: Bearer \u20260987";
    QTest::newRow("bearer lower case") << "bearer tokentokentoken5555"
                                       << "bearer \u20265555";
    QTest::newRow("azure api-key header")
        << QStringLiteral("api-key: %1").arg(randomChars(28, hex) + QStringLiteral("cdef")) << "api-key: \u2026cdef";
    QTest::newRow("key in a query") << QStringLiteral("GET /x?api-key=%1&b=1").arg(randomChars(20, alnum) + tail)
                                    << "GET /x?api-key=\u2026WXYZ&b=1";
    QTest::newRow("key in json") << QStringLiteral("{\"api_key\": \"%1\"}").arg(randomChars(30, alnum) + tail)
                                 << "{\"api_key\": \"\u2026WXYZ\"}";
    QTest::newRow("together tgp") << QStringLiteral("tgp_v1_") + randomChars(39, keyChars) + tail
                                  << "tgp_v1_\u2026WXYZ";
    QTest::newRow("anthropic") << QStringLiteral("x-key sk-ant-api03-") + randomChars(89, keyChars) + tail
                               << "x-key sk-ant-api03-\u2026WXYZ";
    QTest::newRow("bare 32 alnum (mistral)")
        << QStringLiteral("key 9a%1 used").arg(randomChars(26, alnum) + tail) << "key \u2026WXYZ used";
    QTest::newRow("twice")
        << QStringLiteral("%1 and %2").arg(sk, QStringLiteral("sk-") + randomChars(30, alnum) + "2222")
        << "sk-\u2026WXYZ and sk-\u20262222";
    // Shapes in any case, as their expressions take them, and the bare token in a text that names no key: the gate
    // runs an expression only on text that can hold its shape, and none of these may be passed over.
    QTest::newRow("bearer upper case") << "AUTHORIZATION: BEARER tokentokentoken5555"
                                       << "AUTHORIZATION: BEARER \u20265555";
    QTest::newRow("x-api-key mixed case")
        << QStringLiteral("X-Api-Key: %1").arg(randomChars(20, alnum) + tail) << "X-Api-Key: \u2026WXYZ";
    QTest::newRow("api key with a Kelvin sign")
        << QStringLiteral("API-\u212AEY=%1").arg(randomChars(20, alnum) + tail) << "API-\u212AEY=\u2026WXYZ";
    QTest::newRow("bare 32 alnum after an accent")
        << QStringLiteral("Annul\u00E9 9a%1").arg(randomChars(26, alnum) + tail) << "Annul\u00E9 \u2026WXYZ";
    QTest::newRow("bare 32 alnum alone") << QStringLiteral("a7%1").arg(randomChars(26, alnum) + tail) << "\u2026WXYZ";
    QTest::newRow("api echo of a masked key") << "Incorrect API key provided: sk-abc***********wxyz."
                                              << "Incorrect API key provided: sk-\u2026wxyz.";
    QTest::newRow("short sk fragment") << "sk-abcdefgh"
                                       << "sk-\u2026";
    // Not secrets: ids carry prefixes, UUIDs hyphens; plain words and URLs stay.
    QTest::newRow("url") << "POST https://api.openai.com/v1/fine_tuning/jobs/ftjob-abc/cancel"
                         << "POST https://api.openai.com/v1/fine_tuning/jobs/ftjob-abc/cancel";
    const QString azureJob = QStringLiteral("ftjob-") + randomChars(32, hex);
    QTest::newRow("azure job id") << azureJob << azureJob;
    const QString requestId = QStringLiteral("req_") + randomChars(32, hex);
    QTest::newRow("request id") << requestId << requestId;
    QTest::newRow("uuid") << "3f1c2a4e-9b7d-4c1e-8f2a-0d9e8c7b6a51"
                          << "3f1c2a4e-9b7d-4c1e-8f2a-0d9e8c7b6a51";
    QTest::newRow("already masked") << "key \u2026WXYZ"
                                    << "key \u2026WXYZ";
}

void TestOutputGate::masksKnownShapes()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(OutputGate::mask(text), expected);
    QCOMPARE(OutputGate::clean(text), expected);
}

void TestOutputGate::keyAcrossTheCutNeverLeaks_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QString>("body");
    QTest::addColumn<bool>("registered");
    for (const Shape& shape : keyShapes()) {
        QTest::newRow(shape.name) << shape.prefix << shape.body << false;
        QTest::newRow(qPrintable(QStringLiteral("%1, registered").arg(QLatin1String(shape.name))))
            << shape.prefix << randomChars(shape.body.size(), alnum) << true;
    }
}

void TestOutputGate::keyAcrossTheCutNeverLeaks()
{
    QFETCH(QString, prefix);
    QFETCH(QString, body);
    QFETCH(bool, registered);
    const QString key = prefix + body;
    if (registered)
        OutputGate::addSecret(key);
    constexpr int cap = 200;
    // The key starts anywhere from well before the cut to just before it: "Incorrect API key provided: <key>".
    for (int offset = cap - int(key.size()) - 10; offset < cap; offset += 3) {
        const QString filler = QString(qMax(0, offset), u'x');
        const QString text = filler + QStringLiteral(" ") + key + QStringLiteral(" and then some more words.");
        const QString shown = OutputGate::clean(text, cap);
        QVERIFY2(longestLeak(shown, body) <= 4,
                 qPrintable(QStringLiteral("offset %1 leaked %2 characters: %3")
                                .arg(offset)
                                .arg(longestLeak(shown, body))
                                .arg(shown)));
        QVERIFY(shown.toUtf8().size() <= cap + 40);
    }
}

void TestOutputGate::registeredSecretCutShortByTheServerIsMasked()
{
    // A proxy cut the body inside the key: only its first part arrives, at the very end of the text.
    const QString key = QStringLiteral("sk-proj-") + randomChars(60, keyChars);
    OutputGate::addSecret(key);
    for (const int kept : {12, 20, 33, 50}) {
        const QString text = QStringLiteral("error: key ") + key.left(kept);
        const QString shown = OutputGate::clean(text);
        QVERIFY2(longestLeak(shown, key.mid(8)) < 8, qPrintable(shown));
    }
    // The middle of the key, quoted on its own.
    const QString shown = OutputGate::clean(QStringLiteral("…%1…").arg(key.mid(20, 25)));
    QVERIFY2(longestLeak(shown, key.mid(8)) < 8, qPrintable(shown));
}

void TestOutputGate::registeredSecretOfNoKnownShapeIsMasked()
{
    const QString secret = QStringLiteral("plain-secret_") + randomChars(10, "abcdefgh") + QStringLiteral("-0000");
    OutputGate::addSecret(secret);
    QCOMPARE(OutputGate::clean(QStringLiteral("echo %1 back").arg(secret)), QStringLiteral("echo \u20260000 back"));
    QVERIFY(OutputGate::containsSecret(secret));
    QVERIFY(!OutputGate::containsSecret(QStringLiteral("nothing here")));
}

void TestOutputGate::controlAndBidiCharactersAreShown_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("shown");
    QTest::newRow("forged line") << "cancelled\nftjob-forged cancelled"
                                 << "cancelled\u240Aftjob-forged cancelled";
    QTest::newRow("carriage return") << "ok\rcancelled"
                                     << "ok\u240Dcancelled";
    QTest::newRow("terminal title") << "\x1b]0;owned\x07"
                                       "cancelled"
                                    << "\u241B]0;owned\u2407cancelled";
    QTest::newRow("clear screen") << "\x1b[2J\x1b[Hcancelled"
                                  << "\u241B[2J\u241B[Hcancelled";
    QTest::newRow("tab and nul") << QString::fromUtf8("a\tb\0c", 5) << "a\u2409b\u2400c";
    QTest::newRow("delete") << "a\x7f"
                               "b"
                            << "a\u2421b";
    QTest::newRow("C1 CSI") << QStringLiteral("a\u009b2Jb") << "a[U+009B]2Jb";
    QTest::newRow("bidi override") << QStringLiteral("ftjob-\u202Eabc") << "ftjob-[U+202E]abc";
    QTest::newRow("bidi isolate") << QStringLiteral("x\u2066y\u2069z") << "x[U+2066]y[U+2069]z";
    QTest::newRow("line separator") << QStringLiteral("a\u2028b") << "a[U+2028]b";
    QTest::newRow("zero width") << QStringLiteral("ftjob-a\u200Bb") << "ftjob-a[U+200B]b";
    QTest::newRow("lone surrogate") << QString(QChar(0xD800)) + QStringLiteral("x") << QStringLiteral("\uFFFDx");
    QTest::newRow("emoji stays") << QStringLiteral("done \U0001F389") << QStringLiteral("done \U0001F389");
    QTest::newRow("accents stay") << QStringLiteral("Annul\u00E9") << QStringLiteral("Annul\u00E9");
}

void TestOutputGate::controlAndBidiCharactersAreShown()
{
    QFETCH(QString, text);
    QFETCH(QString, shown);
    const QString cleaned = OutputGate::clean(text);
    QCOMPARE(cleaned, shown);
    QVERIFY(!hasDangerousCharacter(cleaned));
}

void TestOutputGate::invisibleCharactersAreShown_data()
{
    QTest::addColumn<uint>("codePoint");
    QTest::addColumn<bool>("neutralised");
    // Unicode's default-ignorable code points and the format characters (category Cf), a row for each single one
    // and for both ends of each range; outside the BMP they are surrogate pairs.
    const QList<uint> invisible{0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180E, 0x180F, 0x200B,
                                0x200F, 0x202A, 0x202E, 0x2060, 0x2061, 0x2064, 0x2065, 0x206F, 0x3164, 0xFE00, 0xFE0F,
                                0xFEFF, 0xFFA0, 0xFFF0, 0xFFF8, 0xFFF9, 0xFFFB, 0x1BCA0, 0x1BCA3, 0x1D173, 0x1D17A,
                                0xE0000, 0xE0001, 0xE0020, 0xE0041, 0xE007F, 0xE0100, 0xE01EF,
                                // Other format characters, found by their category.
                                0x0600, 0x06DD, 0x070F, 0x110BD, 0x13430};
    for (const uint u : invisible)
        QTest::newRow(qPrintable(QStringLiteral("U+%1").arg(u, 4, 16, QLatin1Char('0')).toUpper())) << u << true;
    // Their neighbours are ordinary characters and stay as they are.
    const QList<uint> visible{0x00AC, 0x0350, 0x1161,  0x180A,  0x2070,  0x3165,
                              0xFE10, 0xFFFC, 0x1D17B, 0xE0080, 0xE01F0, 0x1F389};
    for (const uint u : visible)
        QTest::newRow(qPrintable(QStringLiteral("U+%1 stays").arg(u, 4, 16, QLatin1Char('0')).toUpper())) << u << false;
}

void TestOutputGate::invisibleCharactersAreShown()
{
    QFETCH(uint, codePoint);
    QFETCH(bool, neutralised);
    const char32_t point = codePoint;
    // (Not fromUcs4 for U+FEFF: it takes a leading one for a byte order mark and drops it.)
    const QString character
        = QChar::requiresSurrogates(point) ? QString::fromUcs4(&point, 1) : QString(QChar(char16_t(point)));
    const QString text = QStringLiteral("a") + character + QStringLiteral("b");
    const QString standIn
        = QStringLiteral("[U+%1]").arg(QString::number(codePoint, 16).toUpper().rightJustified(4, u'0'));
    QCOMPARE(OutputGate::clean(text), neutralised ? QStringLiteral("a") + standIn + QStringLiteral("b") : text);
    // The same inside a field that is cut: what is shown has no invisible character either.
    const QString cut = OutputGate::clean(QString(3, u'x') + character + QString(100, u'y'), 20);
    QCOMPARE(cut.contains(character), !neutralised);
}

void TestOutputGate::statusWithASoftHyphenDoesNotReadAsTheStatus()
{
    // A server answering "running" + U+00AD: a person must not read "running" (nor a script match it).
    const QString shown = OutputGate::clean(QStringLiteral("running\u00AD"));
    QCOMPARE(shown, QStringLiteral("running[U+00AD]"));
    QVERIFY(shown != QStringLiteral("running"));
    // Tag characters spell hidden text after a visible word: each is shown.
    const QString tagged = QStringLiteral("cancelled") + QString::fromUcs4(U"\U000E0041\U000E0042");
    QCOMPARE(OutputGate::clean(tagged), QStringLiteral("cancelled[U+E0041][U+E0042]"));
}

void TestOutputGate::sizeNoteCountsTheOriginal_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("cap");
    QTest::addColumn<QString>("shown");
    // "… (N bytes more)": N is what the text as given has beyond what is shown, however long its shown form.
    QTest::newRow("escapes (1 byte, shown in 3)") << QString(100, QChar(0x1b)) + QStringLiteral("abc") << 10
                                                  << QStringLiteral("\u241B\u241B\u241B\u2026 (100 bytes more)");
    QTest::newRow("bidi (3 bytes, shown in 8)")
        << QString(10, QChar(0x202E)) << 16 << QStringLiteral("[U+202E][U+202E]\u2026 (24 bytes more)");
    QTest::newRow("tags (4 bytes, shown in 9)") << QString::fromUcs4(U"\U000E0041\U000E0042\U000E0043") << 10
                                                << QStringLiteral("[U+E0041]\u2026 (8 bytes more)");
    QTest::newRow("plain") << QString(30, u'z') << 10 << QString(10, u'z') + QStringLiteral("\u2026 (20 bytes more)");
    // A masked key is shorter than the key: what follows it is counted as given.
    const QString key = QStringLiteral("sk-") + randomChars(44, alnum) + QStringLiteral("WXYZ");
    QTest::newRow("masked key") << key + QStringLiteral(" ") + QString(20, u'q') << 11
                                << QStringLiteral("sk-\u2026WXYZ \u2026 (20 bytes more)");
    // Cut before the masked key: all of the key counts, not its masked form.
    QTest::newRow("cut at a masked key") << key + QStringLiteral(" ") + QString(20, u'q') << 5
                                         << QStringLiteral("sk-\u2026 (69 bytes more)");
}

void TestOutputGate::sizeNoteCountsTheOriginal()
{
    QFETCH(QString, text);
    QFETCH(int, cap);
    QFETCH(QString, shown);
    QCOMPARE(OutputGate::clean(text, cap), shown);
}

void TestOutputGate::emptyTextStillCountsWhatWasNotGiven()
{
    // An excerpt of a body that held nothing printable: nothing to show, but the bytes are counted.
    QCOMPARE(OutputGate::clean(QString(), 10, 5), QStringLiteral("\u2026 (5 bytes more)"));
    QCOMPARE(OutputGate::clean(QString(), 10), QString());
}

void TestOutputGate::cutNeverSplitsAStandIn()
{
    // A cap that falls inside "[U+202E]" leaves the stand-in out whole rather than show "[U+2".
    for (int cap = 1; cap < 30; ++cap) {
        const QString shown = OutputGate::clean(QStringLiteral("ab\u202Ecd\u202Eef\u202E") + QString(40, u'g'), cap);
        const QString kept = shown.left(shown.indexOf(QChar(0x2026)));
        QCOMPARE(kept.count(u'['), kept.count(u']'));
        QVERIFY(kept.toUtf8().size() <= cap);
    }
}

void TestOutputGate::hugeTextIsCappedWithTheRestCounted()
{
    const QString key = QStringLiteral("sk-") + randomChars(45, alnum);
    // 7 MiB of message with a key near the start and escape sequences all over.
    QString text = QStringLiteral("Incorrect API key provided: %1. ").arg(key);
    const QString chunk = QStringLiteral("\x1b[31mred\x1b[0m\n");
    while (text.size() < 7 * 1024 * 1024)
        text += chunk;
    const qint64 total = text.toUtf8().size();
    const QString shown = OutputGate::clean(text);
    QVERIFY2(shown.toUtf8().size() <= OutputGate::fieldBytes + 40, qPrintable(QString::number(shown.size())));
    QVERIFY(longestLeak(shown, key.mid(3)) <= 4);
    QVERIFY(!hasDangerousCharacter(shown));
    QVERIFY2(shown.endsWith(QStringLiteral(" bytes more)")), qPrintable(shown.right(40)));
    // The count is of what is not shown: most of the 7 MiB.
    const qsizetype open = shown.lastIndexOf(u'(');
    const qint64 more = shown.mid(open + 1).section(u' ', 0, 0).toLongLong();
    QVERIFY2(more > total - 3 * OutputGate::fieldBytes && more < total, qPrintable(shown.mid(open)));

    // No cap: everything, still masked and neutralised.
    const QString all = OutputGate::clean(text.left(5000), 0);
    QVERIFY(!all.contains(u'\x1b'));
    QVERIFY(!all.contains(QStringLiteral("more)")));
}

void TestOutputGate::capNeverSplitsACharacter()
{
    // Emoji are surrogate pairs; a cut between the halves would leave a broken character.
    QString text;
    for (int i = 0; i < 400; ++i)
        text += QStringLiteral("\U0001F389");
    for (int cap = 10; cap < 20; ++cap) {
        const QString shown = OutputGate::clean(text, cap);
        QVERIFY(!shown.contains(QChar(QChar::ReplacementCharacter)));
        QVERIFY(shown.toUtf8().size() <= cap + 40);
        QCOMPARE(QString::fromUtf8(shown.toUtf8()), shown); // valid UTF-16 round-trips
    }
}

void TestOutputGate::shortCleanTextIsUnchanged()
{
    for (const QString& text : {QStringLiteral("cancelled"), QStringLiteral("ftjob-abc123"),
                                QStringLiteral("req_0123456789"), QStringLiteral("Job has already completed.")})
        QCOMPARE(OutputGate::clean(text), text);
}

void TestOutputGate::cleaningTwiceChangesNothing()
{
    const QString text
        = QStringLiteral("a\x1b[2J sk-") + randomChars(40, alnum) + QStringLiteral(" \u202E ") + QString(3000, u'y');
    const QString once = OutputGate::clean(text);
    QCOMPARE(OutputGate::clean(once, OutputGate::lineBytes), once);
}

void TestOutputGate::maskKeyShowsOnlyTheTail()
{
    QCOMPARE(OutputGate::maskKey(QStringLiteral("sk-0123456789abcdefWXYZ")), QStringLiteral("\u2026WXYZ"));
    QCOMPARE(OutputGate::maskKey(QStringLiteral("short")), QStringLiteral("\u2026"));
    QCOMPARE(OutputGate::maskKey(QString()), QString());
}

void TestOutputGate::logLinesPassTheGate()
{
    ActivityLog log;
    const QString key = QStringLiteral("plainsecretwithoutprefix") + randomChars(4, "abc") + QStringLiteral("0000");
    log.addSecret(key);
    log.add(QStringLiteral("echo %1 back\n\x1b[2Jforged").arg(key));
    log.add(QString(100000, u'z'));
    QVERIFY(!log.text().contains(key));
    QVERIFY(log.lines().at(0).contains(QStringLiteral("echo \u20260000 back\u240A\u241B[2Jforged")));
    QVERIFY(log.lines().at(1).size() < OutputGate::lineBytes + 100);
    QVERIFY(!hasDangerousCharacter(log.lines().join(QString())));
}

void TestOutputGate::logKeepsABoundedNumberOfLines()
{
    ActivityLog log(3);
    for (int i = 1; i <= 5; ++i)
        log.add(QStringLiteral("line %1").arg(i));
    QCOMPARE(log.lines().size(), 3);
    QVERIFY(log.lines().first().endsWith(QStringLiteral("line 3")));
    QVERIFY(log.lines().last().endsWith(QStringLiteral("line 5")));
}

QTEST_GUILESS_MAIN(TestOutputGate)
#include "tst_outputgate.moc"
