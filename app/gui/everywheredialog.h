#pragma once

#include "stopeverywhere.h"

#include <QDialog>
#include <memory>

namespace Ui {
class EverywhereDialog;
}

// The one question of "stop everything in every profile": the jobs read in each account, grouped by profile and
// provider (a line per account with its count, then each job: id, kind, status, model), the accounts that could not
// be read and why (nothing of them is cancelled). Keep running is the default button (Enter and Esc send nothing);
// "Cancel N jobs" must be chosen.
class EverywhereDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EverywhereDialog)

public:
    EverywhereDialog(const StopEverywhere& sweep, QWidget* parent = nullptr);
    ~EverywhereDialog() override;

private:
    std::unique_ptr<Ui::EverywhereDialog> m_ui;
};
