#include "accountjobsproxymodel.h"
#include "activitylog.h"
#include "apiconfig.h"
#include "dialect.h"
#include "fakeopenaiserver.h"
#include "jobsimulator.h"
#include "jobsmodel.h"
#include "jobspanel.h"
#include "statuscolors.h"

#include <QApplication>
#include <QBrush>
#include <QComboBox>
#include <QListWidget>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

// The window's jobs list reasons by status class, never by one provider's words: a JobsPanel reads the list of an
// OpenAI, Together or Mistral account from the job simulator; each status shows as the provider words it, is
// coloured by its class, counted as finished or not by its class (an unknown status is not finished, and says so),
// and the side filter lists the words present, ordered by class.
class TestJobsStatusClass final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void sameClassSameColourWhateverTheWord();
    void everyProviderColoursByClass_data();
    void everyProviderColoursByClass();
    void unknownStatusIsShownRawAndNotFinished();
    void statusFilterListsTheRawWordsByClass();
    void batchesShowWithTheirKindAndCanBeFilteredOut();
    void batchOnlyProviderHasNoKindFilter();

private:
    void readList(Provider provider, int expectedRows);
    QTableView* view() const;
    QListWidget* filter() const;
    int rowOf(const QString& id) const;
    QStringList statusLines() const; // the side list's lines after All, Active and Finished
    QListWidgetItem* filterItem(const QString& startsWith) const;

    FakeOpenAiServer* m_server = nullptr;
    JobSimulator* m_sim = nullptr;
    ActivityLog* m_log = nullptr;
    JobsPanel* m_panel = nullptr;
};

namespace {
constexpr int generous = 30000;

// What the list must show for a class, whatever the word: the test's own table, not the code's.
Outcome::Category expectedCategory(StatusClass statusClass)
{
    switch (statusClass) {
    case StatusClass::Active:
        return Outcome::Category::Busy;
    case StatusClass::Succeeded:
        return Outcome::Category::Success;
    case StatusClass::Failed:
        return Outcome::Category::Error;
    case StatusClass::Cancelled:
        return Outcome::Category::Neutral;
    case StatusClass::Stopping:
    case StatusClass::Paused:
    case StatusClass::Unknown:
        return Outcome::Category::Warning;
    }
    return Outcome::Category::Warning;
}

// The side list's order of classes: not finished first (an unknown status among them), then the finished.
int expectedRank(StatusClass statusClass)
{
    const QList<StatusClass> order{StatusClass::Active,   StatusClass::Stopping,  StatusClass::Paused,
                                   StatusClass::Unknown,  StatusClass::Succeeded, StatusClass::Failed,
                                   StatusClass::Cancelled};
    return int(order.indexOf(statusClass));
}

FineTuningJob job(Provider provider, const QString& id, const QString& status, qint64 created)
{
    FineTuningJob j;
    j.id = id;
    j.status = status;
    j.provider = provider;
    j.statusClass = Dialect::of(provider).statusClass(status, JobKind::FineTuning);
    j.createdAt = created;
    return j;
}

QString wordOf(const QString& line)
{
    return line.left(line.lastIndexOf(QLatin1String(" (")));
}
} // namespace

void TestJobsStatusClass::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestJobsStatusClass::init()
{
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
    m_sim = new JobSimulator(m_server, this);
    m_log = new ActivityLog(1000, this);
    m_panel = new JobsPanel;
    m_panel->setLog(m_log);
    m_panel->resize(1000, 600);
    m_panel->show();
}

void TestJobsStatusClass::cleanup()
{
    delete m_panel;
    delete m_sim;
    delete m_server;
    delete m_log;
    m_panel = nullptr;
    m_sim = nullptr;
    m_server = nullptr;
    m_log = nullptr;
}

void TestJobsStatusClass::readList(Provider provider, int expectedRows)
{
    ApiConfig config;
    config.provider = provider;
    config.baseUrl = m_sim->baseUrl();
    config.apiKey = QStringLiteral("status-class-key-") + QStringLiteral("0123456789abcdef");
    config.maxRetries = 0;
    m_panel->setAccount(config);
    QSignalSpy finished(m_panel, &JobsPanel::readFinished);
    QVERIFY2(m_panel->refresh(1000), qPrintable(config.problem()));
    QVERIFY(finished.wait(generous));
    QCOMPARE(finished.first().first().toBool(), true);
    QCOMPARE(m_panel->model()->rowCount(), expectedRows);
    QTRY_COMPARE(filter()->item(0)->text(), QStringLiteral("All (%1)").arg(QLocale().toString(expectedRows)));
}

QTableView* TestJobsStatusClass::view() const
{
    return m_panel->findChild<QTableView*>(QStringLiteral("accountJobsView"));
}

QListWidget* TestJobsStatusClass::filter() const
{
    return m_panel->findChild<QListWidget*>(QStringLiteral("statusFilterList"));
}

int TestJobsStatusClass::rowOf(const QString& id) const
{
    const QAbstractItemModel* model = view()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, JobsModel::IdColumn).data().toString() == id)
            return row;
    }
    return -1;
}

QStringList TestJobsStatusClass::statusLines() const
{
    QStringList lines;
    for (int i = 3; i < filter()->count(); ++i)
        lines << filter()->item(i)->text();
    return lines;
}

QListWidgetItem* TestJobsStatusClass::filterItem(const QString& startsWith) const
{
    for (int i = 0; i < filter()->count(); ++i) {
        if (filter()->item(i)->text().startsWith(startsWith))
            return filter()->item(i);
    }
    return nullptr;
}

void TestJobsStatusClass::sameClassSameColourWhateverTheWord()
{
    // One word per class in each provider's dialect: the same class reads the same, the word stays the provider's.
    const QList<QPair<Provider, QStringList>> words{
        {Provider::OpenAI, {"running", "cancelling", "paused", "succeeded", "failed", "cancelled"}},
        {Provider::Mistral, {"RUNNING", "CANCELLATION_REQUESTED", "", "SUCCESS", "FAILED", "CANCELLED"}},
        {Provider::Together, {"running", "cancel_requested", "", "completed", "error", "cancelled"}},
    };
    const QList<StatusClass> classes{StatusClass::Active,    StatusClass::Stopping, StatusClass::Paused,
                                     StatusClass::Succeeded, StatusClass::Failed,   StatusClass::Cancelled};
    QList<FineTuningJob> jobs;
    for (const auto& [provider, list] : words) {
        for (int i = 0; i < list.size(); ++i) {
            if (list.at(i).isEmpty())
                continue; // the provider has no word for it (Mistral and Together do not pause)
            jobs << job(provider, QStringLiteral("job-%1-%2").arg(int(provider)).arg(i), list.at(i), 100 + i);
            QCOMPARE(jobs.last().statusClass, classes.at(i));
        }
    }
    JobsModel model;
    model.setJobs(jobs);
    AccountJobsProxyModel proxy;
    proxy.setSourceModel(&model);
    QPalette palette;
    palette.setColor(QPalette::Base, Qt::white);
    palette.setColor(QPalette::Text, Qt::black);
    proxy.setPalette(palette);
    for (const FineTuningJob& j : std::as_const(jobs)) {
        const QModelIndex status = proxy.mapFromSource(model.index(model.rowOf(j.id), JobsModel::StatusColumn));
        QCOMPARE(status.data().toString(), j.status);
        QCOMPARE(status.data(JobsModel::StatusClassRole).toInt(), int(j.statusClass));
        QCOMPARE(status.data(Qt::ForegroundRole).value<QBrush>().color(),
                 StatusColors::forCategory(expectedCategory(j.statusClass), palette));
        QVERIFY2(status.data(Qt::ToolTipRole).toString().isEmpty(), qPrintable(j.status)); // known: nothing to say
        QCOMPARE(AccountJobsProxyModel::categoryOf(j.statusClass), expectedCategory(j.statusClass));
    }
    const auto colourOf = [&](const QString& id) {
        return proxy.mapFromSource(model.index(model.rowOf(id), JobsModel::StatusColumn))
            .data(Qt::ForegroundRole)
            .value<QBrush>()
            .color();
    };
    // RUNNING as running, SUCCESS as succeeded, CANCELLATION_REQUESTED and cancel_requested as cancelling.
    for (const int i : {0, 1, 3, 4, 5}) {
        QCOMPARE(colourOf(QStringLiteral("job-%1-%2").arg(int(Provider::Mistral)).arg(i)),
                 colourOf(QStringLiteral("job-%1-%2").arg(int(Provider::OpenAI)).arg(i)));
        QCOMPARE(colourOf(QStringLiteral("job-%1-%2").arg(int(Provider::Together)).arg(i)),
                 colourOf(QStringLiteral("job-%1-%2").arg(int(Provider::OpenAI)).arg(i)));
    }
}

void TestJobsStatusClass::everyProviderColoursByClass_data()
{
    QTest::addColumn<Provider>("provider");
    QTest::newRow("openai") << Provider::OpenAI;
    QTest::newRow("together") << Provider::Together;
    QTest::newRow("mistral") << Provider::Mistral;
}

void TestJobsStatusClass::everyProviderColoursByClass()
{
    QFETCH(Provider, provider);
    m_sim->setProvider(provider);
    const QStringList ids = m_sim->addMany(120);
    readList(provider, int(ids.size()));
    const QAbstractItemModel* model = view()->model();
    const Dialect& dialect = Dialect::of(provider);
    QSet<QString> words;
    int notFinished = 0;
    for (const QString& id : ids) {
        const QString word = m_sim->job(id).status;
        const StatusClass statusClass = dialect.statusClass(word, JobKind::FineTuning);
        words.insert(word);
        notFinished += isFinished(statusClass) ? 0 : 1;
        const QModelIndex status = model->index(rowOf(id), JobsModel::StatusColumn);
        QCOMPARE(status.data().toString(), word); // the provider's word, as it is
        QCOMPARE(status.data(Qt::ForegroundRole).value<QBrush>().color(),
                 StatusColors::forCategory(expectedCategory(statusClass), view()->palette()));
    }
    QVERIFY2(words.size() >= 6, qPrintable(QStringList(words.cbegin(), words.cend()).join(u' ')));
    if (provider == Provider::Mistral) {
        QVERIFY(words.contains(QStringLiteral("RUNNING")));
        QVERIFY(!filterItem(QStringLiteral("running (")));
    }
    QCOMPARE(m_panel->activeCount(), notFinished);
    QVERIFY(filterItem(QStringLiteral("Active (%1)").arg(QLocale().toString(notFinished))));
}

void TestJobsStatusClass::unknownStatusIsShownRawAndNotFinished()
{
    m_sim->setProvider(Provider::Mistral);
    const QString unknown = JobSimulator::unknownStatus(Provider::Mistral);
    QCOMPARE(Dialect::of(Provider::Mistral).statusClass(unknown, JobKind::FineTuning), StatusClass::Unknown);
    m_sim->add(QStringLiteral("00000000-0000-4000-8000-000000000001"), QStringLiteral("RUNNING"));
    m_sim->add(QStringLiteral("00000000-0000-4000-8000-000000000002"), QStringLiteral("SUCCESS"));
    m_sim->add(QStringLiteral("00000000-0000-4000-8000-000000000003"), QStringLiteral("CANCELLED"));
    const QString id = QStringLiteral("00000000-0000-4000-8000-000000000004");
    m_sim->add(id, unknown);
    readList(Provider::Mistral, 4);

    const QModelIndex status = view()->model()->index(rowOf(id), JobsModel::StatusColumn);
    QCOMPARE(status.data().toString(), unknown); // shown raw: "PREEMPTED"
    QCOMPARE(status.data(JobsModel::StatusClassRole).toInt(), int(StatusClass::Unknown));
    QCOMPARE(status.data(JobsModel::FinishedRole).toBool(), false);
    // Coloured as unknown: a warning, not as any finished job.
    const QColor colour = status.data(Qt::ForegroundRole).value<QBrush>().color();
    QCOMPARE(colour, StatusColors::forCategory(Outcome::Category::Warning, view()->palette()));
    for (const QString& finished : {QStringLiteral("SUCCESS"), QStringLiteral("CANCELLED")}) {
        const QModelIndex other = view()
                                      ->model()
                                      ->match(view()->model()->index(0, JobsModel::StatusColumn), Qt::DisplayRole,
                                              finished, 1, Qt::MatchExactly)
                                      .value(0);
        QVERIFY(other.isValid());
        QVERIFY2(other.data(Qt::ForegroundRole).value<QBrush>().color() != colour, qPrintable(finished));
    }
    // Its tooltip says why it is coloured so.
    const QString tip = status.data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(unknown) && tip.contains(QStringLiteral("unknown to FtCancel"))
                 && tip.contains(QStringLiteral("not finished")),
             qPrintable(tip));
    // Counted as not finished: with the running job, in Active and in the panel's count (the window's tab title).
    QCOMPARE(m_panel->activeCount(), 2);
    QVERIFY(filterItem(QStringLiteral("Active (2)")));
    QVERIFY(filterItem(QStringLiteral("Finished (2)")));
    filter()->setCurrentItem(filterItem(QStringLiteral("Active (")));
    QCOMPARE(view()->model()->rowCount(), 2);
    QVERIFY(rowOf(id) >= 0);
    filter()->setCurrentItem(filterItem(QStringLiteral("Finished (")));
    QCOMPARE(rowOf(id), -1);
    // Its line in the side list says so too.
    QListWidgetItem* line = filterItem(unknown + QStringLiteral(" (1)"));
    QVERIFY(line);
    QVERIFY2(line->toolTip().contains(QStringLiteral("unknown to FtCancel")), qPrintable(line->toolTip()));
}

void TestJobsStatusClass::statusFilterListsTheRawWordsByClass()
{
    m_sim->setProvider(Provider::Mistral);
    const QStringList ids = m_sim->addMany(200); // the realistic mix: every class but Paused, and PREEMPTED
    readList(Provider::Mistral, int(ids.size()));
    const Dialect& dialect = Dialect::of(Provider::Mistral);
    QMap<QString, int> counts;
    for (const QString& id : ids)
        counts[m_sim->job(id).status] += 1;
    const QStringList lines = statusLines();
    QStringList words;
    int lastRank = -1;
    for (const QString& line : lines) {
        const QString word = wordOf(line);
        words << word;
        QCOMPARE(line, QStringLiteral("%1 (%2)").arg(word, QLocale().toString(counts.value(word))));
        const int rank = expectedRank(dialect.statusClass(word, JobKind::FineTuning));
        QVERIFY2(rank >= lastRank, qPrintable(lines.join(QStringLiteral(", "))));
        lastRank = rank;
    }
    QStringList present = counts.keys();
    QStringList listed = words;
    present.sort();
    listed.sort();
    QCOMPARE(listed, present); // the words of the list, as they are: RUNNING, not running
    // The unknown status after every active one, before every finished one.
    const int unknownAt = int(words.indexOf(JobSimulator::unknownStatus(Provider::Mistral)));
    QVERIFY(unknownAt > words.indexOf(QStringLiteral("RUNNING")));
    QVERIFY(unknownAt < words.indexOf(QStringLiteral("SUCCESS")));
    QVERIFY(unknownAt < words.indexOf(QStringLiteral("CANCELLED")));

    // A status chosen keeps its line, at 0 and in its class's place, once no job has it.
    const QString chosen = QStringLiteral("FAILED_VALIDATION"); // Failed: among the finished, not with the unknown
    const int chosenAt = int(words.indexOf(chosen));
    QVERIFY(chosenAt > unknownAt);
    filter()->setCurrentItem(filterItem(chosen + QStringLiteral(" (")));
    QCOMPARE(view()->model()->rowCount(), counts.value(chosen));
    for (const QString& id : ids) {
        if (m_sim->job(id).status == chosen)
            m_sim->setStatus(id, QStringLiteral("CANCELLED"));
    }
    QSignalSpy finished(m_panel, &JobsPanel::readFinished);
    QVERIFY(m_panel->refresh(1000));
    QVERIFY(finished.wait(generous));
    QTRY_COMPARE(filter()->currentItem()->text(), chosen + QStringLiteral(" (0)"));
    QCOMPARE(view()->model()->rowCount(), 0);
    QCOMPARE(statusLines().indexOf(filter()->currentItem()->text()), chosenAt);
}

void TestJobsStatusClass::batchesShowWithTheirKindAndCanBeFilteredOut()
{
    // An OpenAI account runs fine-tuning jobs and batches: the list shows both, each with its kind and (a batch)
    // what its requests came to; the kind filter shows one kind or both.
    m_sim->add(QStringLiteral("ftjob-run"), QStringLiteral("running"));
    m_sim->addBatch(QStringLiteral("batch_run"), QStringLiteral("in_progress"));
    m_sim->addBatch(QStringLiteral("batch_cancelling"), QStringLiteral("cancelling"));
    readList(Provider::OpenAI, 3);
    QAbstractItemModel* model = view()->model();
    const int batch = rowOf(QStringLiteral("batch_run"));
    const int job = rowOf(QStringLiteral("ftjob-run"));
    QVERIFY(batch >= 0 && job >= 0);
    QCOMPARE(model->index(batch, JobsModel::KindColumn).data().toString(), QStringLiteral("Batch"));
    QCOMPARE(model->index(job, JobsModel::KindColumn).data().toString(), QStringLiteral("Fine-tuning"));
    QCOMPARE(model->index(batch, JobsModel::RequestsColumn).data().toString(),
             QStringLiteral("400 completed, 10 failed of 1000 requests"));
    QVERIFY(!view()->isColumnHidden(JobsModel::KindColumn));
    // "cancelling" is a batch being stopped: not finished, a warning.
    const int stopping = rowOf(QStringLiteral("batch_cancelling"));
    QCOMPARE(model->index(stopping, 0).data(JobsModel::FinishedRole).toBool(), false);

    auto* kinds = m_panel->findChild<QComboBox*>(QStringLiteral("jobsKindCombo"));
    QVERIFY(kinds && kinds->isVisible());
    kinds->setCurrentIndex(2); // Batches
    QTRY_COMPARE(model->rowCount(), 2);
    QCOMPARE(rowOf(QStringLiteral("ftjob-run")), -1);
    kinds->setCurrentIndex(1); // Fine-tuning
    QTRY_COMPARE(model->rowCount(), 1);
    QCOMPARE(rowOf(QStringLiteral("ftjob-run")), 0);
    kinds->setCurrentIndex(0); // All kinds
    QTRY_COMPARE(model->rowCount(), 3);
    QCOMPARE(m_sim->listRequestCount(JobKind::FineTuning), 1);
    QCOMPARE(m_sim->listRequestCount(JobKind::Batch), 1);
}

void TestJobsStatusClass::batchOnlyProviderHasNoKindFilter()
{
    // Anthropic runs batches only: its batches are listed, without a kind filter or column to choose from.
    m_sim->setProvider(Provider::Anthropic);
    const QStringList ids
        = m_sim->addManyBatches(4, {{QStringLiteral("in_progress"), 1}, {QStringLiteral("ended"), 1}});
    readList(Provider::Anthropic, 4);
    QVERIFY(!m_panel->findChild<QComboBox*>(QStringLiteral("jobsKindCombo"))->isVisible());
    QVERIFY(view()->isColumnHidden(JobsModel::KindColumn));
    for (const QString& id : ids)
        QVERIFY(rowOf(id) >= 0);
    QCOMPARE(m_sim->requests(JobSimulator::RequestKind::List).first().path, QStringLiteral("/v1/messages/batches"));
}

QTEST_MAIN(TestJobsStatusClass)
#include "tst_jobsstatusclass.moc"
