#include "cancelbatch.h"
#include "confirmdialog.h"
#include "dialect.h"

#include <QApplication>
#include <QHeaderView>
#include <QTest>
#include <QTreeWidget>

// The confirmation on its own, as "stop everything" makes it from a list just read: every job it will cancel is
// listed, and each id, model and status is shown whole, whatever its width and wherever it is in the list.
class TestConfirmDialog final : public QObject
{
    Q_OBJECT

private slots:
    void everyTextShowsWhole();
};

namespace {
FineTuningJob job(const QString& id, const QString& status, const QString& model)
{
    FineTuningJob j;
    j.id = id;
    j.status = status;
    j.statusClass = Dialect::of(Provider::OpenAI).statusClass(status, JobKind::FineTuning);
    j.model = model;
    j.organizationId = QStringLiteral("org-test");
    j.createdAt = 1721764800;
    return j;
}
} // namespace

void TestConfirmDialog::everyTextShowsWhole()
{
    ApiConfig config;
    config.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9/v1"));
    config.apiKey = QStringLiteral("sk-test-") + QString(32, u'a');
    CancelBatch batch(config, CancelBatch::Options(), nullptr);
    // Narrow ids first, the widest far down the list (a view that measured only the rows it shows would cut it), a
    // long model name once among many short ones.
    QList<FineTuningJob> jobs;
    for (int i = 0; i < 300; ++i)
        jobs << job(QStringLiteral("ftjob-%1").arg(i, 24, 10, QLatin1Char('0')), QStringLiteral("running"),
                    QStringLiteral("gpt-4o-mini"));
    jobs << job(QStringLiteral("ftjob-") + QString(24, u'W'), QStringLiteral("validating_files"),
                QStringLiteral("gpt-4o-mini"));
    jobs << job(QStringLiteral("ftjob-") + QString(24, u'i'), QStringLiteral("queued"),
                QStringLiteral("ft:gpt-4o-mini-2024-07-18:an-organization-with-a-long-name::AbCdEfGh"));
    QCOMPARE(batch.addListed(jobs), int(jobs.size()));

    ConfirmDialog dialog(batch, nullptr, ConfirmDialog::Kind::StopEverything);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto* view = dialog.findChild<QTreeWidget*>(QStringLiteral("confirmJobsView"));
    QVERIFY(view);
    QCOMPARE(view->topLevelItemCount(), int(jobs.size()));
    for (int column = 0; column < view->columnCount() - 1; ++column) {
        const int width = view->header()->sectionSize(column);
        for (int row = 0; row < view->topLevelItemCount(); ++row) {
            const QModelIndex index = view->model()->index(row, column);
            QVERIFY2(view->sizeHintForIndex(index).width() <= width,
                     qPrintable(QStringLiteral("row %1, column %2: \u201C%3\u201D needs %4 px, has %5")
                                    .arg(row)
                                    .arg(column)
                                    .arg(index.data().toString())
                                    .arg(view->sizeHintForIndex(index).width())
                                    .arg(width)));
        }
    }
    // And no wider than the widest text needs (a few pixels of rounding), so the organization keeps its room.
    QVERIFY(view->header()->sectionSize(0) <= view->sizeHintForIndex(view->model()->index(300, 0)).width() + 4);
}

QTEST_MAIN(TestConfirmDialog)
#include "tst_confirmdialog.moc"
