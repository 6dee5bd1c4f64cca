#include "server/lazytimer.h"

#include <QElapsedTimer>
#include <QTest>

// Real time on the event loop: each check waits for a timer to fire (QTRY_*), never a sleep.
class TestLazyTimer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firesOnceWhenDue();
    void zeroFiresOnTheNextPass();
    void movedLaterFiresAtTheNewTime();
    void movedEarlierFiresAtTheNewTime();
    void stoppedNeverFires();
    void restartsAfterFiring();
};

void TestLazyTimer::firesOnceWhenDue()
{
    QElapsedTimer clock;
    qint64 firedAfter = -1;
    int fired = 0;
    LazyTimer timer([&] {
        ++fired;
        firedAfter = clock.elapsed();
    });
    clock.start();
    timer.start(40);
    QVERIFY(timer.isActive());
    QTRY_COMPARE(fired, 1);
    QVERIFY2(firedAfter >= 40, QByteArray::number(firedAfter).constData());
    QVERIFY(!timer.isActive());
    // A later timer firing is the proof that this one stayed quiet meanwhile.
    int later = 0;
    LazyTimer witness([&] { ++later; });
    witness.start(60);
    QTRY_COMPARE(later, 1);
    QCOMPARE(fired, 1);
}

void TestLazyTimer::zeroFiresOnTheNextPass()
{
    int fired = 0;
    LazyTimer timer([&] { ++fired; });
    timer.start(0);
    QCOMPARE(fired, 0); // never from inside start()
    QTRY_COMPARE(fired, 1);
}

void TestLazyTimer::movedLaterFiresAtTheNewTime()
{
    QElapsedTimer clock;
    qint64 firedAfter = -1;
    LazyTimer timer([&] { firedAfter = clock.elapsed(); });
    clock.start();
    timer.start(20);
    timer.start(150); // the QTimer stays armed for 20 ms, then re-arms for the rest
    QTRY_VERIFY(firedAfter >= 0);
    QVERIFY2(firedAfter >= 150, QByteArray::number(firedAfter).constData());
}

void TestLazyTimer::movedEarlierFiresAtTheNewTime()
{
    QElapsedTimer clock;
    qint64 firedAfter = -1;
    LazyTimer timer([&] { firedAfter = clock.elapsed(); });
    clock.start();
    timer.start(60'000);
    timer.start(30);
    QTRY_VERIFY(firedAfter >= 0);
    QVERIFY2(firedAfter >= 30 && firedAfter < 30'000, QByteArray::number(firedAfter).constData());
}

void TestLazyTimer::stoppedNeverFires()
{
    int fired = 0;
    LazyTimer timer([&] { ++fired; });
    timer.start(10);
    timer.stop();
    QVERIFY(!timer.isActive());
    int later = 0;
    LazyTimer witness([&] { ++later; });
    witness.start(80); // well after the stopped one's armed QTimer went off
    QTRY_COMPARE(later, 1);
    QCOMPARE(fired, 0);
}

void TestLazyTimer::restartsAfterFiring()
{
    int fired = 0;
    LazyTimer timer;
    timer.setOnDue([&] {
        if (++fired == 1)
            timer.start(10); // from its own callback, as a keep-alive re-arms
    });
    timer.start(10);
    QTRY_COMPARE(fired, 2);
    QVERIFY(!timer.isActive());
}

QTEST_GUILESS_MAIN(TestLazyTimer)
#include "tst_lazytimer.moc"
