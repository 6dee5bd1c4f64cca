#include "ledger/storepace.h"

#include <QElapsedTimer>
#include <QTest>

// A clock the test moves by hand, and a pause that only counts.
class TestStorePace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void writesWithinASliceDoNotPause();
    void aSpentSlicePausesOnceAndStartsTheNext();
    void eachBatchStartsAFreshSlice();
    void theDefaultPauseSleeps();

private:
    StorePace pace()
    {
        return StorePace([this] { return m_now; }, [this] { ++m_pauses; });
    }

    qint64 m_now = 0;
    int m_pauses = 0;
};

void TestStorePace::init()
{
    m_now = 0;
    m_pauses = 0;
}

void TestStorePace::writesWithinASliceDoNotPause()
{
    StorePace p = pace();
    p.start();
    for (int i = 0; i < 100; ++i) {
        m_now += (StorePace::sliceNs - 1) / 100;
        p.written();
    }
    QCOMPARE(m_pauses, 0);
}

void TestStorePace::aSpentSlicePausesOnceAndStartsTheNext()
{
    StorePace p = pace();
    p.start();
    m_now += StorePace::sliceNs;
    p.written();
    QCOMPARE(m_pauses, 1);
    // The next slice starts after the pause: the write right after it does not pause again.
    m_now += 1000;
    p.written();
    QCOMPARE(m_pauses, 1);
    m_now += StorePace::sliceNs;
    p.written();
    QCOMPARE(m_pauses, 2);
}

void TestStorePace::eachBatchStartsAFreshSlice()
{
    StorePace p = pace();
    p.start();
    m_now += StorePace::sliceNs - 1;
    p.written();
    m_now += 5 * StorePace::sliceNs; // the writer slept until the next batch
    p.start();
    m_now += 1;
    p.written();
    QCOMPARE(m_pauses, 0);
}

void TestStorePace::theDefaultPauseSleeps()
{
    StorePace p;
    p.start();
    QElapsedTimer clock; // started after the slice: it measures no more than the slice's time
    clock.start();
    while (clock.nsecsElapsed() < StorePace::sliceNs) {
    }
    const qint64 before = clock.nsecsElapsed();
    p.written();
    QVERIFY(clock.nsecsElapsed() - before >= StorePace::pauseUs * 1000);
}

QTEST_GUILESS_MAIN(TestStorePace)
#include "tst_storepace.moc"
